#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkcerts.sh DIR: make the sample device's X.509 certificate chain with
# openssl: a root CA, an intermediate CA and a device leaf certificate,
# ECDSA P-384 keys and SHA-384 signatures, as an SPDM 1.2 device holds
# for slot 0.  Writes DIR/devsec-certs.der (the DER certificates
# concatenated, root first, leaf last: the certificate part of an SPDM
# certificate chain) and DIR/devsec-root.pem (the trust anchor a relying
# party verifies the leaf against).  The keys are thrown away: they are
# made fresh at every build and sign nothing but this chain.
set -e
out=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

for k in root inter leaf; do
	openssl ecparam -name secp384r1 -genkey -noout -out $k.key
done
cat >ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl req -new -x509 -sha384 -key root.key -days 3650 \
	-subj "/O=devsec sample/CN=devsec sample root CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
openssl req -new -sha384 -key inter.key \
	-subj "/O=devsec sample/CN=devsec sample intermediate CA" -out inter.csr
openssl x509 -req -sha384 -in inter.csr -CA root.pem -CAkey root.key \
	-set_serial 2 -days 3650 -extfile ext.cnf -extensions ca \
	-out inter.pem 2>/dev/null
openssl req -new -sha384 -key leaf.key \
	-subj "/O=devsec sample/CN=devsec sample device 8086:ffff" -out leaf.csr
openssl x509 -req -sha384 -in leaf.csr -CA inter.pem -CAkey inter.key \
	-set_serial 3 -days 3650 -extfile ext.cnf -extensions leaf \
	-out leaf.pem 2>/dev/null
openssl verify -CAfile root.pem -untrusted inter.pem leaf.pem >/dev/null

for c in root inter leaf; do
	openssl x509 -in $c.pem -outform DER -out $c.der
done
cat root.der inter.der leaf.der >"$out/devsec-certs.der.tmp"
cp root.pem "$out/devsec-root.pem"
mv "$out/devsec-certs.der.tmp" "$out/devsec-certs.der"
