#!/bin/sh
# Regenerates the synthetic chain the verification tests sign their own reports with: an ARK, ASK and
# VCEK shaped like AMD's (RSA-4096 RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48, an EC P-384 VCEK with the
# AMD SPL and hwID extensions) but NOT AMD's: O is "vmm test chain (not AMD)". The VCEK private key is
# kept so that tests can sign reports; it protects nothing.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/index.txt"
echo 01 > "$tmp/serial"
# hwID: SHA-512 of a fixed string, so the 64 bytes are reproducible.
hwid=$(printf 'vmm synthetic chip' | openssl dgst -sha512 -r | cut -c1-128)
cat > "$tmp/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha384
policy = any
unique_subject = no
email_in_dn = no
[ any ]
commonName = supplied
organizationName = optional
[ ark_ext ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[ ask_ext ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
[ vcek_ext ]
1.3.6.1.4.1.3704.1.1 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.2 = ASN1:IA5STRING:Milan-B0
1.3.6.1.4.1.3704.1.3.1 = ASN1:INTEGER:4
1.3.6.1.4.1.3704.1.3.2 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.3.4 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.3.5 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.3.6 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.3.7 = ASN1:INTEGER:0
1.3.6.1.4.1.3704.1.3.3 = ASN1:INTEGER:24
1.3.6.1.4.1.3704.1.3.8 = ASN1:INTEGER:219
1.3.6.1.4.1.3704.1.4 = DER:$hwid
CNF
pss="-md sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384"
org="/O=vmm test chain (not AMD)"

openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$tmp/ark.key"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$tmp/ask.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out vcek.key
openssl req -new -key "$tmp/ark.key" -subj "$org/CN=ARK-Milan" -out "$tmp/ark.csr"
openssl req -new -key "$tmp/ask.key" -subj "$org/CN=SEV-Milan" -out "$tmp/ask.csr"
openssl req -new -key vcek.key -subj "$org/CN=SEV-VCEK" -out "$tmp/vcek.csr"
# shellcheck disable=SC2086
openssl ca -batch -notext -preserveDN -config "$tmp/ca.cnf" -selfsign -keyfile "$tmp/ark.key" -in "$tmp/ark.csr" \
    -extensions ark_ext -startdate 20240101000000Z -enddate 20490101000000Z $pss -out ark.pem 2>/dev/null
# shellcheck disable=SC2086
openssl ca -batch -notext -preserveDN -config "$tmp/ca.cnf" -cert ark.pem -keyfile "$tmp/ark.key" -in "$tmp/ask.csr" \
    -extensions ask_ext -startdate 20240101000000Z -enddate 20490101000000Z $pss -out ask.pem 2>/dev/null
# shellcheck disable=SC2086
openssl ca -batch -notext -preserveDN -config "$tmp/ca.cnf" -cert ask.pem -keyfile "$tmp/ask.key" -in "$tmp/vcek.csr" \
    -extensions vcek_ext -startdate 20250101000000Z -enddate 20320101000000Z $pss -out vcek.pem 2>/dev/null
# The chain as KDS serves it: ASK, then ARK.
cat ask.pem ark.pem > cert_chain.pem
rm ark.pem ask.pem
openssl pkcs8 -topk8 -nocrypt -in vcek.key -out vcek_private_key.pem
rm vcek.key
echo "$hwid" > hwid.hex
