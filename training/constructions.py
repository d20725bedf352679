#!/usr/bin/env python3
"""Counts the units of each construction of real diplomatic news (issue 9) in the labeled parts,
by label, and scores the model on the held-out units of each: a unit belongs to a construction
when its text matches the construction's pattern (a unit may belong to several, or to none).
Accuracy per construction comes from `stance eval training/heldout.tsv --errors`, so every unit
keeps the holder features of its whole article. A developer's tool: needs python3.

usage: python3 training/constructions.py [--stance bin/stance] [--model DIR] [--min N]
       (--min: exit 1 when a construction has fewer units than N in the parts; default 40)
"""
import collections, csv, glob, os, re, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
stance = os.path.join(root, 'bin', 'stance')
model = []
minimum = 40
if '--stance' in args:
    i = args.index('--stance'); stance = args[i + 1]; del args[i:i + 2]
if '--model' in args:
    i = args.index('--model'); model = ['--model', args[i + 1]]; del args[i:i + 2]
if '--min' in args:
    i = args.index('--min'); minimum = int(args[i + 1]); del args[i:i + 2]

# The constructions of issue 9, each as a pattern over the unit's text (case-insensitive).
CONSTRUCTIONS = [
    ('listing and delisting', r'\b(de-?list\w*|(terror\w*|sanctions?|black)[ -]?list\w*|'
     r'(off|from|on|onto) (the |its |their )?(\w+ )?(list|register)\b|banned (organi[sz]ations|groups)|'
     r'designat\w*|lift\w* (the |its |a )?ban\b|struck (\w+ )?off)'),
    ('deferred or conditional recognition', r'\b(recogni[szt]\w*|non-?recogni\w*)'),
    ('threats, closures, broken pledges', r'\b(strikes?|retaliat\w*|consequences|ultimatum|'
     r'clos(e|ed|es|ing|ure) (of )?(the |its )?(border|crossing)|reneg\w*|broken|broke (its|their)|'
     r'lied|lying|betray\w*)'),
    ('reverse, regret vs condemn', r'\b(revers\w*|reconsider\w*|regret\w*|disappoint\w*|'
     r'condemn\w*|outrage\w*|denounc\w*|deplor\w*)'),
    ('terrorism and drugs cooperation', r'\b(counter-?terror\w*|terroris\w*|narcotic\w*|drugs?|'
     r'poppy|trafficking)\b'),
    ('visits, delegations, projects', r'\b(visit\w*|delegation\w*|projects?|resum\w*|flights?|'
     r'signed|agreement)\b'),
    ('hedges of hurry', r'(no rush|no hurry|step by step|step-by-step|too early|premature\w*|'
     r'in due course|no timetable|not yet|gradual\w*|rush)'),
    ('aid and others\' dealings', r'\b(humanitarian|aid|relief|donor\w*)\b'),
]

def read_rows(path):
    with open(path, encoding='utf-8', newline='') as f:
        r = csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE)
        header = next(r)
        for lineno, row in enumerate(r, start=2):
            if row:
                yield lineno, dict(zip(header, row))

def tags(text):
    return [name for name, pat in CONSTRUCTIONS if re.search(pat, text, re.I)]

counts = collections.defaultdict(collections.Counter)
for path in sorted(glob.glob(os.path.join(root, 'training', 'parts', '*.tsv'))):
    for _, row in read_rows(path):
        for name in tags(row['text']):
            counts[name][row['label']] += 1

heldout = os.path.join(root, 'training', 'heldout.tsv')
with tempfile.TemporaryDirectory() as tmp:
    errors_path = os.path.join(tmp, 'errors.tsv')
    out = subprocess.run([stance, 'eval', heldout, '--errors', errors_path] + model,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f'constructions.py: {out.stderr.strip()}')
    wrong = {int(row['line']) for _, row in read_rows(errors_path)}

held = collections.Counter()
held_ok = collections.Counter()
for lineno, row in read_rows(heldout):
    for name in tags(row['text']) + (['(quotes)'] if row.get('kind') == 'quote' else []) + ['(all)']:
        held[name] += 1
        held_ok[name] += lineno not in wrong

labels = ('engagement', 'caution', 'opposition', 'neutral')
print(f"{'construction':38} {'units':>6} " + ' '.join(f'{l[:5]:>5}' for l in labels) +
      f" {'held-out':>9} {'accuracy':>8}")
short = []
for name, _ in CONSTRUCTIONS:
    c = counts[name]
    total = sum(c.values())
    if total < minimum:
        short.append(name)
    acc = held_ok[name] / held[name] if held[name] else 0.0
    print(f'{name:38} {total:6} ' + ' '.join(f'{c[l]:5}' for l in labels) +
          f' {held[name]:9} {acc:8.3f}')
for name in ('(quotes)', '(all)'):
    acc = held_ok[name] / held[name] if held[name] else 0.0
    print(f'{name:38} {"":6} ' + ' '.join(f'{"":5}' for _ in labels) + f' {held[name]:9} {acc:8.3f}')
if short:
    sys.exit(f'constructions.py: fewer than {minimum} units: {", ".join(short)}')
