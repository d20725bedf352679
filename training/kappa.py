#!/usr/bin/env python3
"""Agreement of the second annotator with the labels of the parts (issue 9).

training/kappa/PART.tsv holds a random 10% of training/parts/PART.tsv, relabelled blind by a
writer who did not write that part: columns doc, kind, text, label, holders. Each row is matched
to its unit in the part by (doc, kind, text). Prints, per part and overall, the units compared,
raw label agreement, Cohen's kappa, and how often both annotators named the same holders when
both gave a stance.

usage: python3 training/kappa.py [--markdown]
"""
import collections, glob, os, sys

root = os.path.dirname(os.path.abspath(__file__))

def kappa(pairs):
    n = len(pairs)
    if n == 0:
        return float('nan')
    agree = sum(a == b for a, b in pairs) / n
    first = collections.Counter(a for a, _ in pairs)
    second = collections.Counter(b for _, b in pairs)
    chance = sum(first[l] * second[l] for l in first) / (n * n)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0

rows, everything = [], []
missing = 0
for path in sorted(glob.glob(os.path.join(root, 'kappa', '*.tsv'))):
    part = os.path.basename(path)[:-4]
    gold = {}
    for line in open(os.path.join(root, 'parts', part + '.tsv'), encoding='utf-8'):
        label, text, doc, kind, holders = line.rstrip('\n').split('\t')
        gold[(doc, kind, text)] = (label, set(h for h in holders.split(';') if h))
    pairs, holder_same, holder_both = [], 0, 0
    for n, line in enumerate(open(path, encoding='utf-8')):
        if n == 0:
            continue
        doc, kind, text, label, holders = line.rstrip('\n').split('\t')
        g = gold.get((doc, kind, text))
        if g is None:
            missing += 1
            print(f'{path}:{n + 1}: no such unit in the part (edited since?)', file=sys.stderr)
            continue
        pairs.append((g[0], label))
        if g[0] != 'neutral' and label != 'neutral':
            holder_both += 1
            holder_same += g[1] == set(h for h in holders.split(';') if h)
    everything += pairs
    agree = sum(a == b for a, b in pairs) / len(pairs) if pairs else float('nan')
    rows.append((part, len(pairs), agree, kappa(pairs),
                 holder_same / holder_both if holder_both else float('nan')))
agree = sum(a == b for a, b in everything) / len(everything)
rows.append(('all', len(everything), agree, kappa(everything), float('nan')))
md = '--markdown' in sys.argv
if md:
    print('| part | units | agreement | kappa | same holders |\n|---|---|---|---|---|')
for part, n, a, k, h in rows:
    hs = '' if h != h else f'{h:.2f}'
    print(f'| {part} | {n} | {a:.3f} | {k:.3f} | {hs} |' if md else f'{part:14} {n:5} {a:8.3f} {k:8.3f} {hs:>6}')
confusion = collections.Counter(everything)
print('\nmost frequent disagreements (first annotator -> second):')
for (a, b), c in confusion.most_common():
    if a != b:
        print(f'  {a} -> {b}: {c}')
sys.exit(1 if missing else 0)
