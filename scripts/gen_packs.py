#!/usr/bin/env python3
"""Bootstrap generator for validator-core/src/packs/<pack>.rs rule tables from the spec (§3).
Writes rule metadata verbatim; each `when` starts as the spec's prose and is translated by hand."""
import json, re, sys
d = json.load(open(sys.argv[1]))
def rs(s): return json.dumps(s, ensure_ascii=False)
packs = {}
for r in d['rules']:
    packs.setdefault(r['id'].split('.')[0], []).append(r)
for pack, rules in packs.items():
    o = []
    for r in rules:
        sev = r['severity'].split(';')[0].strip()
        ex = re.search(r'可豁免: (.*)', r['severity'])
        exempt = [b.strip() for b in ex.group(1).split(',')] if ex else []
        cit = r['citation']
        m = re.match(r'\S+\.txt (.*)', cit)
        cite = m.group(1) if m else ''
        o.append('    Rule {')
        o.append(f'        id: {rs(r["id"])},')
        o.append(f'        severity: {sev.capitalize()},')
        if exempt: o.append('        exempt: &[' + ', '.join(''.join(w.capitalize() for w in b.split('_')) for b in exempt) + '],')
        else: o.append('        exempt: &[],')
        o.append(f'        cite: {rs(cite)},')
        o.append(f'        when: {rs("TODO " + r["condition"])},')
        o.append(f'        zh: {rs(r["zh"])},')
        o.append(f'        en: {rs(r["en"])},')
        o.append('    },')
    open(f'/tmp/rules_{pack}.rs', 'w').write('\n'.join(o) + '\n')
    print(pack, len(rules))
