#!/bin/bash
# Test server for the firewall integration tests.
# Usage: serve NAME [DNSMASQ-OPTION...]
# Answers "NAME PORT" on TCP ports 22, 80, 443, 853 and 8443 (IPv4 and IPv6). With options, also runs dnsmasq
# on port 53 (UDP and TCP) with those options, answering names from /etc/test-hosts (SIGHUP re-reads it).
set -euo pipefail
name=$1
shift
for port in 22 80 443 853 8443; do
  socat "TCP6-LISTEN:$port,ipv6only=0,fork,reuseaddr" SYSTEM:"echo $name $port" &
done
if (($#)); then
  touch /etc/test-hosts
  exec dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts=/etc/test-hosts --local-ttl=0 \
    --log-queries --log-facility=- "$@"
fi
wait
