#!/usr/bin/env python3
"""Checks labeled part files (training/parts/*.tsv) for form only: the header, five columns,
a known label, holders that are gazetteer names (';'-separated, none for a neutral unit, at least
one otherwise), a doc id of the form PREFIX-NNN, and every quote row's text found in the last
paragraph row of its doc before it (or, for a quote running over paragraphs, its opening words in a
paragraph whose quotation is left open, or its text across the last three). It does not judge the labels.

usage: python3 training/check_parts.py FILE...
"""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
names = set()
for l in open(os.path.join(root, 'lexicons', 'gazetteer.tsv'), encoding='utf-8'):
    if l.strip() and not l.startswith('#'):
        names.update(l.split('\t')[:2])  # the display name or the code
LABELS = {'engagement', 'caution', 'opposition', 'neutral'}
HEADER = 'label\ttext\tdoc\tkind\tholders'
bad = units = 0
def norm(s):
    return ' '.join(s.replace('’', "'").split())
for path in sys.argv[1:]:
    last_para, recent = {}, {}
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            def problem(msg):
                global bad
                bad += 1
                print(f"{path}:{n}: {msg}")
            if n == 1:
                if line != HEADER:
                    problem(f"the header must be: {HEADER!r}")
                continue
            cols = line.split('\t')
            if len(cols) != 5:
                problem(f"{len(cols)} columns, want 5"); continue
            label, text, doc, kind, holders = cols
            units += 1
            if label not in LABELS:
                problem(f"label {label!r}")
            if not re.fullmatch(r'[a-z0-9]+-[0-9]{3}', doc):
                problem(f"doc {doc!r} is not PREFIX-NNN")
            hs = [h for h in holders.split(';') if h]
            for h in hs:
                if h not in names:
                    problem(f"holder {h!r} is not a gazetteer name or code")
            if label == 'neutral' and hs:
                problem("a neutral unit has no holders")
            if label != 'neutral' and not hs:
                problem(f"a {label} unit needs its holders")
            if kind == 'paragraph':
                last_para[doc] = norm(text)
                recent.setdefault(doc, []).append(norm(text))
            elif kind == 'quote':
                if len(text.split()) < 4:
                    problem("a quote has more than three words")
                unquoted = lambda t: ' '.join(re.sub('[“”"«»„]', ' ', t).split())
                para = last_para.get(doc, '')
                opens = para.count('“') > para.count('”')  # runs on into the next paragraph
                if (norm(text) not in para and
                        unquoted(norm(text)) not in unquoted(' '.join(recent.get(doc, [])[-3:])) and
                        not (opens and ' '.join(norm(text).split()[:6]) in para)):
                    problem("the quote is not in the paragraph row before it")
            else:
                problem(f"kind {kind!r} is not paragraph or quote")
print(f"{units} units, {bad} problems")
sys.exit(1 if bad else 0)
