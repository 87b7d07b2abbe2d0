#!/bin/sh
# Regenerates the test PKI: a CA, a server certificate for 127.0.0.1/localhost and a client
# certificate, all signed by the CA and valid for 100 years. Test use only; the keys are public.
set -e
cd "$(dirname "$0")"
openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=zeroscope-test-ca -keyout ca.key -out ca.pem
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -extfile server.ext -out server.pem
openssl req -newkey rsa:2048 -nodes -subj /CN=zeroscope-test-client -keyout client.key -out client.csr
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -extfile client.ext -out client.pem
rm -f server.csr client.csr server.ext client.ext ca.srl ca.key
