#!/usr/bin/env python3
"""Weighs the feature groups behind the stances of the reference articles: for every paragraph
and quote that the model gives a stance (not neutral), the summed contribution of each group
(word n-grams, cue:, val: tone, hold: holder features) toward that stance, from `stance score
--format json --explain`; the share of units whose largest positive group is each group; and the
same among units whose stance is wrong by the gold file. Works with binaries that predate the
holder features (groups are read from feature names). A developer's tool: needs python3.

usage: python3 training/feature_groups.py [--stance bin/stance] [--model DIR] [DIR]
"""
import json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
stance = os.path.join(root, 'bin', 'stance')
model = []
if '--stance' in args:
    i = args.index('--stance'); stance = args[i + 1]; del args[i:i + 2]
if '--model' in args:
    i = args.index('--model'); model = ['--model', args[i + 1]]; del args[i:i + 2]
folder = args[0] if args else os.path.join(root, 'training', 'articles', 'dev')
GROUPS = ('ngrams', 'cues', 'tone', 'holders')

def group(name):
    if name.startswith('cue:'):
        return 'cues'
    if name.startswith('val:'):
        return 'tone'
    if name.startswith('hold:'):
        return 'holders'
    return 'ngrams'

total = {g: 0.0 for g in GROUPS}
top_all = {g: 0 for g in GROUPS}
top_wrong = {g: 0 for g in GROUPS}
units = wrong = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith('.gold.json'):
        continue
    gold = json.load(open(os.path.join(folder, name), encoding='utf-8'))
    want = {('paragraph', p['index']): p['stance'] for p in gold['paragraphs']}
    out = subprocess.run([stance, 'score', '--format', 'json', '--explain', '1000'] + model +
                         [os.path.join(folder, gold['file'])], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"feature_groups.py: {name}: {out.stderr.strip()}")
    for u in json.loads(out.stdout)['units']:
        if u['stance'] == 'neutral':
            continue
        sums = {g: 0.0 for g in GROUPS}
        for f in u['explain']['features']:
            sums[group(f['feature'])] += f['weight']
        units += 1
        for g in GROUPS:
            total[g] += sums[g]
        best = max(GROUPS, key=lambda g: sums[g])
        top_all[best] += 1
        key = ('paragraph', u['paragraph']) if u['kind'] == 'paragraph' else None
        if key in want and want[key] != u['stance']:
            wrong += 1
            top_wrong[best] += 1

print(f"{units} units with a stance, {wrong} of them paragraphs with a wrong stance")
print("group     mean weight  top group (all)  top group (wrong paragraphs)")
for g in GROUPS:
    print(f"{g:<9} {total[g] / max(units, 1):+11.3f}  {top_all[g] / max(units, 1):15.1%}  "
          f"{top_wrong[g] / max(wrong, 1):28.1%}")
