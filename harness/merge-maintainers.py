#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge our MAINTAINERS entries (argv[1]) into the base file on stdin.

Entries are blocks separated by blank lines whose first line is the title;
each of ours goes before the first base entry whose title sorts after it,
as scripts/parse-maintainers.pl would order them.
"""
import sys

base = sys.stdin.read()
ours = open(sys.argv[1]).read().strip('\n')
blocks = [b for b in ours.split('\n\n') if b.strip()]
head, sep, body = base.partition('\n\n3C59X NETWORK DRIVER')
if not sep:
    sys.exit('MAINTAINERS: cannot find the first entry')
entries = (sep.lstrip('\n') + body).split('\n\n')
for b in blocks:
    title = b.split('\n', 1)[0]
    for i, e in enumerate(entries):
        t = e.split('\n', 1)[0]
        if t == 'THE REST' or t.upper() > title.upper():
            entries.insert(i, b)
            break
    else:
        entries.append(b)
sys.stdout.write(head + '\n\n' + '\n\n'.join(entries))
