#!/usr/bin/env python3
"""Scores the reference articles of training/articles (NAME.txt with NAME.gold.json, the format
of the seed's gold file) with `stance score --format json` and reports: paragraph stance
accuracy and holder precision/recall; quotes found (recall and precision, matched by paragraph
and opening words), speakers named exactly, speaker countries, quote stances and holders; and the
per-country stance of each article. Names and codes of holders are compared through the
gazetteer. A developer's tool: needs python3.

usage: python3 training/articles.py [--stance bin/stance] [--model DIR] [--verbose] [DIR]
       (DIR: training/articles/dev)
"""
import json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
verbose = '--verbose' in args
args = [a for a in args if a != '--verbose']
stance = os.path.join(root, 'bin', 'stance')
if '--stance' in args:
    i = args.index('--stance'); stance = args[i + 1]; del args[i:i + 2]
model = []
if '--model' in args:
    i = args.index('--model'); model = ['--model', args[i + 1]]; del args[i:i + 2]
folder = args[0] if args else os.path.join(root, 'training', 'articles', 'dev')

code = {}
for line in open(os.path.join(root, 'lexicons', 'gazetteer.tsv'), encoding='utf-8'):
    if line.startswith('#'):
        continue
    name, c = line.split('\t')[:2]
    code[name] = c
    code[c] = c
def codes(names):
    return {code.get(n, n) for n in names or []}
def norm(s):
    return ' '.join((s or '').replace('’', "'").split()).lower()

t = dict(par=0, par_ok=0, h_gold=0, h_got=0, h_hit=0, q_gold=0, q_got=0, q_hit=0, spk=0, spk_ok=0,
         cty_ok=0, qst_ok=0, qh_gold=0, qh_got=0, qh_hit=0, c_gold=0, c_ok=0)
ppairs, qpairs = [], []
for name in sorted(os.listdir(folder)):
    if not name.endswith('.gold.json'):
        continue
    gold = json.load(open(os.path.join(folder, name), encoding='utf-8'))
    txt = os.path.join(folder, gold['file'])
    out = subprocess.run([stance, 'score', '--format', 'json'] + model + [txt], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"articles.py: {txt}: {out.stderr.strip()}")
    got = json.loads(out.stdout)
    paras = {u['paragraph']: u for u in got['units'] if u['kind'] == 'paragraph'}
    quotes = [u for u in got['units'] if u['kind'] == 'quote']
    for g in gold['paragraphs']:
        u = paras.get(g['index'])
        t['par'] += 1
        ppairs.append((g['stance'], u['stance'] if u else None))
        if u and u['stance'] == g['stance']:
            t['par_ok'] += 1
        elif verbose:
            print(f"{gold['file']} p{g['index']}: stance {u and u['stance']} want {g['stance']}")
        gh, uh = codes(g['holders']), codes(u['holders'] if u else [])
        t['h_gold'] += len(gh); t['h_got'] += len(uh); t['h_hit'] += len(gh & uh)
        if verbose and gh != uh:
            print(f"{gold['file']} p{g['index']}: holders {sorted(uh)} want {sorted(gh)}")
    used = set()
    t['q_got'] += len(quotes)
    for g in gold['quotes']:
        t['q_gold'] += 1
        m = None
        for k, u in enumerate(quotes):
            if k not in used and u['paragraph'] == g['paragraph'] and norm(u['text']).startswith(norm(g['starts_with'])):
                m = k; break
        if m is None:
            if verbose:
                print(f"{gold['file']} p{g['paragraph']}: quote not found: {g['starts_with']}")
            continue
        used.add(m); u = quotes[m]
        t['q_hit'] += 1
        t['spk'] += 1
        if norm(u['speaker']) == norm(g['speaker']):
            t['spk_ok'] += 1
        elif verbose:
            print(f"{gold['file']} {u['id']}: speaker {u['speaker']!r} want {g['speaker']!r}")
        if codes([u['speaker_country']] if u['speaker_country'] else []) == codes([g['speaker_country']] if g['speaker_country'] else []):
            t['cty_ok'] += 1
        elif verbose:
            print(f"{gold['file']} {u['id']}: speaker country {u['speaker_country']!r} want {g['speaker_country']!r}")
        t['qst_ok'] += u['stance'] == g['stance']
        qpairs.append((g['stance'], u['stance']))
        if verbose and u['stance'] != g['stance']:
            print(f"{gold['file']} {u['id']}: stance {u['stance']} want {g['stance']}")
        gh, uh = codes(g['holders']), codes(u['holders'])
        t['qh_gold'] += len(gh); t['qh_got'] += len(uh); t['qh_hit'] += len(gh & uh)
    got_c = {code.get(c['country'], c['country']): c['stance'] for c in got['countries']}
    for c, st in gold.get('countries', {}).items():
        t['c_gold'] += 1
        t['c_ok'] += got_c.get(code.get(c, c)) == st

def r(a, b):
    return a / b if b else 0.0
def macro_f1(pairs):
    f = []
    for label in ('engagement', 'caution', 'opposition', 'neutral'):
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        if tp + fp + fn:
            f.append(r(2 * tp, 2 * tp + fp + fn))
    return sum(f) / len(f) if f else 0.0
print(f"paragraph stance: {t['par_ok']}/{t['par']} ({r(t['par_ok'], t['par']):.3f}), macro-F1 {macro_f1(ppairs):.3f}")
print(f"paragraph holders: precision {r(t['h_hit'], t['h_got']):.3f} recall {r(t['h_hit'], t['h_gold']):.3f} ({t['h_hit']} of {t['h_gold']} gold, {t['h_got']} predicted)")
print(f"quotes found: recall {r(t['q_hit'], t['q_gold']):.3f} ({t['q_hit']}/{t['q_gold']}) precision {r(t['q_hit'], t['q_got']):.3f} ({t['q_got']} predicted)")
print(f"speakers exact: {t['spk_ok']}/{t['spk']} ({r(t['spk_ok'], t['spk']):.3f}); speaker countries: {t['cty_ok']}/{t['spk']} ({r(t['cty_ok'], t['spk']):.3f})")
print(f"quote stance: {t['qst_ok']}/{t['q_hit']} ({r(t['qst_ok'], t['q_hit']):.3f}), macro-F1 {macro_f1(qpairs):.3f}; quote holders: precision {r(t['qh_hit'], t['qh_got']):.3f} recall {r(t['qh_hit'], t['qh_gold']):.3f}")
print(f"per-country article stance: {t['c_ok']}/{t['c_gold']} ({r(t['c_ok'], t['c_gold']):.3f})")
