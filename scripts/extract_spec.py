#!/usr/bin/env python3
"""Extract the tables of ../shared/spec/domain.md into JSON (fields, enums, restrictions, rules).

Used once to bootstrap validator-core's data files; kept so a reviewer can re-run it and diff
against the committed data when the spec changes.
"""
import json, re, sys
src = open(sys.argv[1] if len(sys.argv) > 1 else '../shared/spec/domain.md', encoding='utf-8').read()
lines = src.split('\n')
def cells(l):
    l = l.strip()
    if not l.startswith('|'): return None
    parts = re.split(r'(?<!\\)\|', l.strip('|'))
    return [p.strip().replace('\\|', '|') for p in parts]
def unbt(s): return s.strip().strip('`')
out = {'forms': {}, 'enums': [], 'restrict': [], 'rules': []}
section = None; form = None
for l in lines:
    m = re.match(r'^#### 2\.2\.\d+ `([a-z-]+)`', l)
    if m: form = m.group(1); out['forms'][form] = []; continue
    if l.startswith('### 2.1'): form = 'envelope'; out['forms'][form] = []; continue
    if l.startswith('### 2.3'): form = None; section = 'restrict'; continue
    if l.startswith('### 2.4'): section = 'enum'; continue
    if l.startswith('### 2.5'): section = None; continue
    if l.startswith('### 3.'): section = 'rules'; continue
    if l.startswith('## 4'): section = None; continue
    c = cells(l)
    if not c or set(c[0]) <= set('-') or c[0] in ('field', 'enum', 'form.field', 'rule ID', 'pack'): continue
    if form and len(c) >= 5 and c[0].startswith('`'):
        out['forms'][form].append(dict(path=unbt(c[0]), zh=c[1], type=c[2], fmt=c[3], req=c[4], basis=c[5] if len(c) > 5 else ''))
    elif section == 'enum' and len(c) == 3:
        out['enums'].append(dict(enum=unbt(c[0]), code=unbt(c[1]), zh=c[2]))
    elif section == 'restrict' and len(c) == 6:
        out['restrict'].append(dict(field=unbt(c[0]), potou=c[1], bazhong=c[2], gaogang=c[3], pingyang=c[4], jianshan=c[5]))
    elif section == 'rules' and len(c) == 7:
        out['rules'].append(dict(id=unbt(c[0]), form=c[1], citation=c[2], severity=c[3], condition=c[4], zh=c[5], en=c[6]))
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
