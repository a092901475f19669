#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the KUnit KTAP output in a guest console log.

Prints one line per suite and per failed case; exits non-zero when a suite
failed, when the run crashed before finishing, or when no suite ran.
"""
import re
import sys

prefix = re.compile(r'^\[\s*\d+\.\d+\]\s?')
result = re.compile(r'^(\s*)(ok|not ok) (\d+) (\S.*?)(\s+#\s*(SKIP.*))?$')

lines = []
for raw in open(sys.argv[1], errors='replace'):
    line = prefix.sub('', raw.rstrip('\r\n'))
    lines.append(line)

plan = None  # sum of the top-level plans: boot, then each test module
suites = []
cases_failed = []
cases = 0
for line in lines:
    m = re.match(r'^1\.\.(\d+)$', line)
    if m:
        plan = (plan or 0) + int(m.group(1))
        continue
    m = result.match(line)
    if not m:
        continue
    indent, status, _, name, _, skip = m.groups()
    if indent == '':
        suites.append((name, status, skip))
    elif len(indent) == 4:
        cases += 1
        if status == 'not ok' and not skip:
            cases_failed.append(name)

if not suites:
    print('no KUnit suite ran (KTAP not found in %s)' % sys.argv[1])
    sys.exit(1)
bad = 0
for name, status, skip in suites:
    print('%-7s %s%s' % (status, name, ' # ' + skip if skip else ''))
    if status != 'ok':
        bad += 1
for c in cases_failed:
    print('not ok (case) %s' % c)
if plan is not None and plan != len(suites):
    print('KUnit planned %d suites, %d reported: crashed?' % (plan, len(suites)))
    bad += 1
print('%d suites, %d cases, %d failed suites' % (len(suites), cases, bad))
sys.exit(1 if bad else 0)
