#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge our MAINTAINERS entries (argv[1]) into the base file on stdin.

Entries are blocks separated by blank lines whose first line is the title;
each of ours goes before the first base entry whose title sorts after it,
as scripts/parse-maintainers.pl would order them.
"""
import bisect
import sys

base = sys.stdin.read()
ours = open(sys.argv[1]).read().strip('\n')
blocks = [b for b in ours.split('\n\n') if b.strip()]
head, sep, body = base.partition('\n\n3C59X NETWORK DRIVER')
if not sep:
    sys.exit('MAINTAINERS: cannot find the first entry')
entries = (sep.lstrip('\n') + body).split('\n\n')
for b in blocks:
    # The base file is sorted almost everywhere: bisect lands in the right
    # neighbourhood even where a few entries are out of order.
    title = b.split('\n', 1)[0].upper()
    titles = [e.split('\n', 1)[0].upper() for e in entries]
    end = titles.index('THE REST') if 'THE REST' in titles else len(titles)
    entries.insert(bisect.bisect_left(titles, title, 0, end), b)
sys.stdout.write(head + '\n\n' + '\n\n'.join(entries))
