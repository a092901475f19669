#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read device evidence over the pci-tsm netlink family into files.

ev.py KSRC OUTDIR DEV MASK [FLAGS [NONCE_HEX]]

Uses the tree's YNL library (KSRC/tools/net/ynl/pyynl/lib) with the spec
Documentation/netlink/specs/pci-tsm.yaml.  The type attribute carries the
number of an evidence-type (the spec gives it no enum, as upstream's); the
file is named after that entry.  Writes OUTDIR/<type> for every object
received (concatenating its val chunks) and OUTDIR/generation, and prints
one line per object: "<type> <bytes> <generation>".  On a netlink error
prints "error: -ERRNO" and exits 1.
"""
import os
import sys

ksrc, outdir, dev, mask = sys.argv[1:5]
flags = int(sys.argv[5]) if len(sys.argv) > 5 else 0
nonce = bytes.fromhex(sys.argv[6]) if len(sys.argv) > 6 else None
sys.path.insert(0, os.path.join(ksrc, 'tools/net/ynl/pyynl'))
from lib import YnlFamily, NlError  # noqa: E402

spec = os.path.join(ksrc, 'Documentation/netlink/specs/pci-tsm.yaml')
# No schema validation here ('' skips it): the evidence suite's first
# cli.py dump validates the spec, and each validation costs seconds in a
# debug guest
ynl = YnlFamily(spec, '')
req = {'type-mask': int(mask), 'dev-name': dev, 'flags': flags}
if nonce is not None:
    req['nonce'] = nonce
try:
    msgs = ynl.dump('evidence-read', req)
except NlError as e:
    print(f'error: -{e.error}')
    sys.exit(1)

names = {e.value: name
         for name, e in ynl.consts['evidence-type'].entries.items()}
objs = []
gen = None
for m in msgs:
    if 'type' in m:
        if not isinstance(m['type'], int) or m['type'] not in names:
            print(f"error: type {m['type']!r} is not an evidence-type number")
            sys.exit(1)
        objs.append([names[m['type']], bytearray()])
        gen = m.get('generation', gen)
    elif not objs:
        print('error: val before type')
        sys.exit(1)
    objs[-1][1] += m.get('val', b'')
os.makedirs(outdir, exist_ok=True)
for t, data in objs:
    with open(os.path.join(outdir, str(t)), 'wb') as f:
        f.write(data)
    print(t, len(data), gen)
with open(os.path.join(outdir, 'generation'), 'w') as f:
    f.write(f'{gen}\n')
