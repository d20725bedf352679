#!/usr/bin/env python3
"""Checks the reference articles of a folder (NAME.txt beside NAME.gold.json) for form only:
the gold file parses, "file" names its text, every paragraph of the text (blank-line-separated
blocks, from 0) has exactly one entry, every quote's "starts_with" occurs in its paragraph after
a quotation mark, labels are the four stances, holders and countries are gazetteer names, and a
neutral unit has no holders while a non-neutral one has some. It does not run the engine.

usage: python3 training/check_articles.py DIR...
"""
import json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
names = set()
for line in open(os.path.join(root, 'lexicons', 'gazetteer.tsv'), encoding='utf-8'):
    if not line.startswith('#') and line.strip():
        names.add(line.split('\t')[0])
LABELS = {'engagement', 'caution', 'opposition', 'neutral'}
QUOTE_MARKS = '"“”‘’\'«»„‹›'

def paragraphs(text):
    return [p.strip() for p in re.split(r'\n\s*\n', text.strip()) if p.strip()]

def check_unit(where, u, problems):
    if u.get('stance') not in LABELS:
        problems.append(f"{where}: stance {u.get('stance')!r} is not one of {sorted(LABELS)}")
    for h in u.get('holders', []):
        if h not in names:
            problems.append(f"{where}: holder {h!r} is not a gazetteer name")
    if u.get('stance') == 'neutral' and u.get('holders'):
        problems.append(f"{where}: a neutral unit has no holders")
    if u.get('stance') in LABELS - {'neutral'} and not u.get('holders'):
        problems.append(f"{where}: a {u['stance']} unit needs its holders")

def check(folder, gold_name):
    problems = []
    path = os.path.join(folder, gold_name)
    try:
        gold = json.load(open(path, encoding='utf-8'))
    except (OSError, ValueError) as e:
        return [f"{path}: {e}"]
    txt = os.path.join(folder, gold.get('file', ''))
    if not os.path.isfile(txt):
        return [f"{path}: file {gold.get('file')!r} not found beside it"]
    paras = paragraphs(open(txt, encoding='utf-8').read())
    idx = [p.get('index') for p in gold.get('paragraphs', [])]
    if idx != list(range(len(paras))):
        problems.append(f"{path}: paragraphs must be indexed 0..{len(paras) - 1} in order (text has {len(paras)} blocks; gold lists {len(idx)})")
    for p in gold.get('paragraphs', []):
        check_unit(f"{path}: p{p.get('index')}", p, problems)
    for k, q in enumerate(gold.get('quotes', [])):
        where = f"{path}: quote {k} (p{q.get('paragraph')})"
        check_unit(where, q, problems)
        n = q.get('paragraph')
        if not isinstance(n, int) or not 0 <= n < len(paras):
            problems.append(f"{where}: no such paragraph"); continue
        start = q.get('starts_with', '')
        at = paras[n].find(start)
        if not start or at < 0:
            problems.append(f"{where}: starts_with {start!r} is not in the paragraph")
        elif at == 0 or paras[n][at - 1] not in QUOTE_MARKS:
            problems.append(f"{where}: starts_with {start!r} must follow the opening quotation mark")
        c = q.get('speaker_country')
        if c is not None and c not in names:
            problems.append(f"{where}: speaker_country {c!r} is not a gazetteer name")
        if 'speaker' not in q:
            problems.append(f"{where}: speaker missing (null when unnamed)")
    for c, label in gold.get('countries', {}).items():
        if c not in names:
            problems.append(f"{path}: countries: {c!r} is not a gazetteer name")
        if label not in LABELS:
            problems.append(f"{path}: countries: {c}: {label!r} is not a label")
    return problems

bad = 0
count = 0
for folder in sys.argv[1:] or [os.path.join(root, 'training', 'articles', 'dev')]:
    for name in sorted(os.listdir(folder)):
        if name.endswith('.gold.json'):
            count += 1
            for p in check(folder, name):
                print(p); bad += 1
print(f"{count} articles, {bad} problems")
sys.exit(1 if bad else 0)
