#!/bin/bash -p
# claude-devc-firewall: the default-deny egress firewall of a claude-devc dev container.
#
# Usage: claude-devc-firewall          apply the compiled policy in /etc/claude-devc (root; the user runs it via sudo)
#        claude-devc-firewall status   check that the policy is in force now and print it (root for the
#                                      kernel's state: the user runs it via sudo; others see the last run)
#        claude-devc-firewall wait     wait until this container start has applied the firewall (any user)
#        claude-devc-firewall start-id print this container start's identity (for the entrypoint)
#        claude-devc-firewall check    check the compiled policy as an apply does, changing nothing (any user)
#
# Contract (see firewall/README.md): the filter tables are locked down (DROP, whole-table restores) before
# anything else; any failure after that leaves them locked down. The policy comes compiled by `claude-devc
# generate` (load-ready ipset, filter table and dnsmasq files, and a header with their SHA-256): an apply checks
# them in one pass (root-owned, digests, grammar), fills the few runtime facts in and loads them whole. Only allowlisted names resolve (local
# dnsmasq, answers added to ipsets before the client sees them); only allowlisted addresses are reachable,
# on their group's TCP ports; everything else is rejected and recorded. The nat table (Docker's
# 127.0.0.11 rules) is never touched. Arguments other than `status`, and the environment, are ignored or
# refused: nothing a caller passes can widen the policy.
set -euo pipefail
# -p (above): bash reads no BASH_ENV and imports no functions, SHELLOPTS or BASHOPTS from the environment,
# should a sudoers policy ever let the caller pass them.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
TZ=UTC
IFS=$' \t\n'
export PATH LC_ALL TZ
umask 022

readonly PROG=claude-devc-firewall
readonly POLICY_DIR=/etc/claude-devc
readonly POLICY=$POLICY_DIR/policy.conf
# The compiled files, in the order the header lists them (model/ImageLayout.COMPILED_POLICY).
readonly -a COMPILED=("$POLICY_DIR/ipsets.restore" "$POLICY_DIR/filter4.rules" "$POLICY_DIR/filter6.rules"
  "$POLICY_DIR/dnsmasq.conf")
readonly STATE_DIR=/var/lib/claude-devc
readonly STATE_FILE=$STATE_DIR/status
readonly READY_FILE=$STATE_DIR/ready
readonly SAVED_RESOLV=$STATE_DIR/resolv.conf.orig
readonly DENIED_SEEN=$STATE_DIR/denied-seen
readonly LOG_DIR=/var/log/claude-devc
readonly DNS_LOG=$LOG_DIR/dns.log
readonly RUN_DIR=/run/claude-devc
readonly DNSMASQ_CONF=$RUN_DIR/dnsmasq.conf   # the compiled files with their runtime slots filled go here
readonly SUMMARY=$RUN_DIR/summary             # what the check read from the header, for this run and the rotator
readonly LOCK_FILE=$RUN_DIR/apply.lock
readonly RESOLV=/etc/resolv.conf
readonly RESOLV_MARKER="# written by $PROG: the only resolver is the local allowlisting dnsmasq"
readonly DNS_USER=claude-devc-dns
# The connection mark (value/mask) of connections the policy let out; see filter_table.
readonly ALLOWED_MARK=0x1/0x1
readonly DOCKER_DNS=127.0.0.11
readonly SET_PREFIX=cdv-
readonly DENIED4=cdv-denied-4
readonly DENIED6=cdv-denied-6
readonly PRIVATE_PREFIX=cdv-private-     # internal ranges a DNS answer must not open (DNS rebinding)
readonly EXEMPT_PREFIX=cdv-exempt-       # what the policy names itself: a list of the static and private-answer sets
readonly PANS_PREFIX=cdv-pans-           # the private-answer ranges (network.privateAnswers)
readonly PRIVDENIED4=cdv-privdenied-4    # destinations refused because an allowed name answered them
readonly PRIVDENIED6=cdv-privdenied-6
readonly PROBE_TIMEOUT=5
# An answered address stays in the allow sets for the header's answer-lifetime (default 3600 s: well above client
# caches), refreshed by every answer naming it. dns.log is rotated by size by a root process the apply starts
# (rotate-dns-log), at the header's dns-log size (default 8 MiB, 4 rotated files kept). Both defaults are the
# check's (CHECK_AWK); tests set a few seconds and bytes.
readonly ROTATE_EVERY=2
readonly ROTATOR_PID=$RUN_DIR/rotator.pid
readonly WAIT_SECONDS=120
readonly USAGE="usage: $PROG          apply the policy (as root; via sudo with no arguments)
       $PROG status   check that the policy is in force now (as root: sudo $PROG status)
       $PROG wait     wait until this container start has applied the firewall
       $PROG denials  the connections it rejected, with when each was last seen (as root: sudo $PROG denials)
       $PROG check    check the compiled policy in $POLICY_DIR as an apply would, changing nothing
       $PROG rotate-dns-log   rotate the resolver's log by size, forever (root; the apply starts it)"

# What the header says (read from the check's summary).
MODE=""
IPV6=""
ANSWER_LIFETIME=""          # seconds
DNS_LOG_MAX=""              # bytes
DNS_LOG_KEEP=""             # rotated files
SET_NAMES=""                # every set the apply creates, for status
HOST_PORTS=""
VERIFY=()                   # "allow|deny host port"
declare -A COUNTS=()        # groups, allowed_names, allowed_nets, denied_names

# Facts gathered while applying.
UPSTREAMS=()                # resolver addresses from the container's original resolv.conf
DNS_GROUP=""                # the resolver account's group
START_ID=""                 # this container start (start_id), computed once
V6_ENABLED=0
APPLY_DONE=0
CLOSED=no                   # whether the lockdown (or the final policy) is known to be in place
RULES4=""                   # digests of the filter rules loaded, and the allow sets, for status
RULES6=""
SETS=""
FIXED_SETS=""               # digest of the private and exempt sets (their contents never change after apply)
FAIL_REASON=""
declare -a CHECKS=()
declare -a NOTES=()

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

die() {
  FAIL_REASON=$*
  exit 1
}

usage_error() {
  printf '%s: %s\n%s\n' "$PROG" "$1" "$USAGE" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------------------
# Lockdown: whole filter tables with DROP policies; loopback and established flows only.
# ---------------------------------------------------------------------------------------------------------

# Loopback carries the resolver's traffic: dnsmasq's answers to clients and the upstream's answers to dnsmasq
# (Docker's embedded resolver is 127.0.0.11). Any user can bind a loopback address on port 53 (Docker sets
# ip_unprivileged_port_start=0) and send forged answers from it, which dnsmasq would take as the upstream's
# and turn into allow-set entries. On loopback, only root (the daemon's resolver, dnsmasq's sockets) and the
# resolver's account may send from port 53.
dns_source_guard() {
  local p
  for p in udp tcp; do
    echo "-A OUTPUT -o lo -p $p -m $p --sport 53 -j CDV-DNS-SRC"
  done
  # RELATED: the kernel's own packets, such as the TCP reset a REJECT of a connection to port 53 sends back.
  echo "-A CDV-DNS-SRC -m conntrack --ctstate RELATED -j RETURN"
  echo "-A CDV-DNS-SRC -m owner --uid-owner 0 -j RETURN"
  echo "-A CDV-DNS-SRC -j DROP"
}

lockdown_v4() {
  local dns_guard
  dns_guard=$(dns_source_guard)
  printf '%s\n' "\
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
:CDV-DNS-SRC - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP
-A OUTPUT -d $DOCKER_DNS/32 -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -d $DOCKER_DNS/32 -j REJECT --reject-with icmp-port-unreachable
$dns_guard
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp-port-unreachable
COMMIT"
}

lockdown_v6() {
  local dns_guard
  dns_guard=$(dns_source_guard)
  printf '%s\n' "\
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
:CDV-DNS-SRC - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP
$dns_guard
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp6-port-unreachable
COMMIT"
}

# IPv6 is in use when the kernel lists an IPv6 address. (/proc files have size 0: read them, do not `-s`.)
detect_v6() {
  local _
  if read -r _ 2>/dev/null </proc/net/if_inet6; then
    V6_ENABLED=1
  fi
}

# When IPv6 is in use but its filter table cannot be set, IPv6 is cut off instead: every address and route
# of every interface but loopback is removed, so nothing can leave over IPv6 (the run still fails).
cut_v6() {
  local dev
  while read -r dev; do
    ip -6 addr flush dev "$dev" 2>/dev/null || true
    ip -6 route flush dev "$dev" 2>/dev/null || true
  done < <(awk '$6 != "lo" {print $6}' /proc/net/if_inet6 | sort -u)
  log "IPv6 filter table cannot be applied: IPv6 addresses and routes removed"
}

# Applies the lockdown tables. IPv6 must succeed when the kernel has IPv6 addresses (or IPv6 is cut off and
# this fails); otherwise best effort.
# (Callers test the result, which switches errexit off inside: each step returns its failure itself.)
lockdown() {
  lockdown_v4 | iptables-restore -w 10 || return 1
  if ((V6_ENABLED)); then
    if ! lockdown_v6 | ip6tables-restore -w 10; then
      cut_v6
      return 1
    fi
  else
    lockdown_v6 | ip6tables-restore -w 10 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------------------------------------------------
# The compiled policy: checked whole at every start, by one awk pass over every file (CHECK_AWK), which also
# fills the runtime slots: root-owned and writable by root alone (one stat), the SHA-256 the header records (one
# sha256sum), every line of a known shape (a rule that lets something through has one of a few shapes; no DNS
# port is allowed; a truncated file lacks its end line). Anything else fails the run (closed).
# ---------------------------------------------------------------------------------------------------------

# (A single-quoted literal, so the program holds no single quote: \047 in its strings.)
# shellcheck disable=SC2016 # awk's own $ fields
readonly CHECK_AWK='# The start-time check of the compiled policy, and its runtime slots filled: one pass over every file.
# Inputs: "-" (facts: `stat` lines, `sha256sum` lines, `ipset list -n` names, `ip -o addr` and `ip route`
# lines), then the saved resolv.conf, /etc/hosts, /proc/net/if_inet6, the header, and the compiled files in
# the header\047s order. -v dir= (the policy folder), out= (where the filled files go; empty: check only).
function fail(msg) {
  print msg
  failed = 1
  exit 1
}
function bad(msg) {
  fail("policy file " name " line " FNR ": " msg)
}
function is_num(s) { return s ~ /^[1-9][0-9]*$/ }
function is_ip4(s,   p, n, i) {
  n = split(s, p, ".")
  if (n != 4) return 0
  for (i = 1; i <= 4; i++) {
    if (p[i] !~ /^(0|[1-9][0-9]?[0-9]?)$/ || p[i] + 0 > 255) return 0
  }
  return 1
}
function is_ip6(s,   p, n, i) {
  if (s !~ /:/ || s !~ /^[0-9a-f:]+$/ || length(s) > 39) return 0
  n = split(s, p, ":")
  if (n < 3 || n > 8) return 0
  for (i = 1; i <= n; i++) {
    if (length(p[i]) > 4) return 0
  }
  return 1
}
function is_cidr(s, fam,   a, n) {
  n = split(s, a, "/")
  if (n != 2 || !is_num(a[2])) return 0
  if (fam == 4) return is_ip4(a[1]) && a[2] + 0 <= 32
  return is_ip6(a[1]) && a[2] + 0 <= 128
}
function is_host(s,   l, n, i) {
  if (length(s) > 253) return 0
  n = split(s, l, ".")
  if (n < 2) return 0
  for (i = 1; i <= n; i++) {
    if (length(l[i]) > 63 || l[i] !~ /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/) return 0
  }
  return l[n] ~ /^[a-z]/
}
function is_port(p) { return is_num(p) && p + 0 <= 65535 }
# DNS (53) and DNS over TLS (853) only ever go through the local resolver.
function allowed_port(p) { return is_port(p) && p != 53 && p != 853 }
function allowed_ports(s,   p, n, i) {
  n = split(s, p, ",")
  if (n < 1 || n > 15) return 0
  for (i = 1; i <= n; i++) {
    if (!allowed_port(p[i])) return 0
  }
  return 1
}
function is_group(g) { return g ~ /^(0|[1-9][0-9]?)$/ }
function fam_of(a) { return a ~ /:/ ? 6 : 4 }
function add_to(list, item) { return index(" " list " ", " " item " ") ? list : list (list == "" ? "" : " ") item }
function emit(line) {
  if (out != "" && !suppress) print line > (out "/" name)
}
# Prints a line once for each word of a slot\047s values, the slot replaced; none: the line is dropped, unless
# empty is given (then the slot becomes that).
function expand(line, slot, values, empty,   v, n, i) {
  n = split(values, v, " ")
  if (n == 0 && empty != "drop") {
    sub(slot, "", line)
    emit(line)
  }
  for (i = 1; i <= n; i++) {
    l = line
    sub(slot, v[i], l)
    emit(l)
  }
}

BEGIN {
  names = "ipsets.restore filter4.rules filter6.rules dnsmasq.conf"
  nfiles = split(names, order, " ")
  dns_user = "claude-devc-dns"
  docker_dns = "127.0.0.11"
  header = dir "/policy.conf"
}

# ---- facts ----
FILENAME == "-" {
  if ($1 == "stat") {
    # stat <uid> <gid> <mode> <path> <type...>: root\047s, and writable by root alone
    if ($2 != 0 || $3 != 0) fail("policy file " $5 " is not root-owned (uid " $2 ", gid " $3 ")")
    if (substr($4, length($4) - 1) ~ /[2367]/) fail("policy file " $5 " is writable by others than root (mode " $4 ")")
    if ($5 == dir && $6 != "directory") fail("policy folder " dir " is not a folder")
    if ($5 != dir && $6 " " $7 != "regular file") fail("policy file " $5 " is not a regular file")
    owned[$5] = 1
    next
  }
  if (NF == 2 && length($1) == 64 && $1 ~ /^[0-9a-f]+$/) { sum[$2] = $1; next }
  if (NF == 1 && $1 ~ /^cdv-[a-z0-9-]+$/) { existing[++nexisting] = $1; next }
  if ($1 ~ /^[0-9]+:$/ && ($3 == "inet" || $3 == "inet6")) {
    split($4, a, "/")
    if (is_ip4(a[1]) || is_ip6(a[1])) subnets[fam_of(a[1])] = add_to(subnets[fam_of(a[1])], $4)
    next
  }
  next
}
# Default gateways: /proc/net/route (hex, little-endian) and /proc/net/ipv6_route.
function hexval(h,   i, v) {
  v = 0
  h = tolower(h)
  for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
  return v
}
FILENAME == "/proc/net/route" {
  if ($2 == "00000000" && $8 == "00000000" && $3 ~ /^[0-9A-Fa-f]+$/ && length($3) == 8 && $3 != "00000000") {
    g = hexval(substr($3, 7, 2)) "." hexval(substr($3, 5, 2)) "." hexval(substr($3, 3, 2)) "." hexval(substr($3, 1, 2))
    gateways[4] = add_to(gateways[4], g)
  }
  next
}
FILENAME == "/proc/net/ipv6_route" {
  if ($1 == "00000000000000000000000000000000" && $2 == "00" && $5 ~ /^[0-9a-f]+$/ && length($5) == 32 \
    && $5 != "00000000000000000000000000000000") {
    g = ""
    for (i = 0; i < 8; i++) {
      w = substr($5, i * 4 + 1, 4)
      sub(/^0+/, "", w)
      g = g (i ? ":" : "") (w == "" ? "0" : w)
    }
    gateways[6] = add_to(gateways[6], g)
  }
  next
}
FILENAME == resolv {
  if ($1 == "nameserver") {
    u = tolower($2)
    sub(/%.*/, "", u)  # a scope (%eth0) is dropped: link-local upstreams are not supported
    if (u == "127.0.0.1" || u == "::1" || u == "0.0.0.0" || u == "::") next  # that is us (or nothing)
    if (is_ip4(u) || is_ip6(u)) {
      upstreams = add_to(upstreams, u)
      if (u == docker_dns) uses_docker_dns = 1
      else up[fam_of(u)] = add_to(up[fam_of(u)], u)
    }
  }
  next
}
FILENAME == "/etc/hosts" {
  if ($2 == "host.docker.internal" && (is_ip4($1) || is_ip6($1))) gateways[fam_of($1)] = add_to(gateways[fam_of($1)], $1)
  next
}
FILENAME == "/proc/net/if_inet6" {
  if ($6 == "lo" && $1 == "00000000000000000000000000000001") lo6 = 1
  next
}

# ---- the header ----
FILENAME == header {
  name = "policy.conf"
  if (index($0, "#") == 1) next  # the readable allow list: a comment line for each entry
  line = $0
  sub(/#.*/, "", line)
  if (line ~ /^ *$/) next
  if (line !~ /^[a-z0-9_.:\/,*\[\] -]+$/) fail("policy line " FNR ": unexpected characters")
  n = split(line, f, " ")
  if (!version && f[1] != "version") fail("policy line " FNR ": the first record must be \047version 2\047")
  k = f[1] ":" n
  if (k == "version:2") {
    if (f[2] != 2) fail("policy line " FNR ": unsupported version \047" f[2] "\047")
    version = 1
  } else if (k == "mode:2" && policy_mode == "" && (f[2] == "enforce" || f[2] == "audit")) {
    policy_mode = f[2]
  } else if (k == "ipv6:2" && ipv6 == "" && (f[2] == "filter" || f[2] == "block")) {
    ipv6 = f[2]
  } else if (k == "count:3" && f[2] ~ /^(groups|allowed_names|allowed_nets|denied_names)$/ && !(f[2] in count) \
    && (f[3] == "0" || is_num(f[3]))) {
    count[f[2]] = f[3]
  } else if (k == "host-port:2" && allowed_port(f[2])) {
    host_ports = add_to(host_ports, f[2])
  } else if (f[1] == "sets" && sets == "") {
    for (i = 2; i <= n; i++) {
      if (f[i] !~ /^cdv-([gs](0|[1-9][0-9]?)|private|pans|exempt)-[46]$/) fail("policy line " FNR ": invalid set name \047" f[i] "\047")
      sets = sets (i > 2 ? " " : "") f[i]
    }
  } else if ((k == "verify-allow:3" || k == "verify-deny:3") && is_port(f[3])) {
    t = f[2]
    if (t ~ /^\[.*\]$/) t = substr(t, 2, length(t) - 2)
    if (!is_ip4(t) && !is_ip6(t) && !is_host(t)) fail("policy line " FNR ": invalid host \047" f[2] "\047")
    verify[++nverify] = substr(f[1], 8) " " f[2] " " f[3]
  } else if (f[1] == "note" && n > 1) {
    notes[++nnotes] = substr(line, 6)
  } else if (k == "file:3" && index(" " names " ", " " f[2] " ") && !(f[2] in digest) && length(f[3]) == 64 \
    && f[3] ~ /^[0-9a-f]+$/) {
    digest[f[2]] = f[3]
  } else if (k == "answer-lifetime:2" && answer_lifetime == "" && is_num(f[2]) && f[2] + 0 <= 2147483) {
    answer_lifetime = f[2]  # ipset\047s own bound for a timeout
  } else if (k == "dns-log:3" && dns_log == "" && is_num(f[2]) && f[2] + 0 >= 1000 && f[2] + 0 <= 1073741824 \
    && f[3] ~ /^[1-9][0-9]?$/) {
    dns_log = f[2] " " f[3]
  } else {
    fail("policy line " FNR ": not understood: \047" line "\047")
  }
  next
}

# ---- the compiled files ----
FNR == 1 {
  finish()
  if (!header_done) header_checked()
  name = substr(FILENAME, length(dir) + 2)
  if (name != order[++file_index]) fail("policy: expected " dir "/" order[file_index] ", got " FILENAME)
  if (sum[FILENAME] != digest[name]) fail("policy file " name ": its SHA-256 differs from the one the header records")
  last = ""
  if (name == "ipsets.restore") {
    # After the lockdown no rule references our sets: all of them but the denied-connection counters are made anew.
    # (The exempt lists first: a set another one lists cannot be destroyed.)
    for (i = 1; i <= nexisting; i++) {
      if (existing[i] ~ /^cdv-exempt-/) emit("destroy " existing[i])
    }
    for (i = 1; i <= nexisting; i++) {
      if (existing[i] !~ /^cdv-(priv)?denied-[46]$|^cdv-exempt-/) emit("destroy " existing[i])
    }
  }
}
/^#/ { last = $0; next }
{ last = $0 }
{ suppress = 0 }
name == "ipsets.restore" { ipset_line(); next }
name == "filter4.rules" { filter_line(4); next }
name == "filter6.rules" { filter_line(6); next }
name == "dnsmasq.conf" { dnsmasq_line(); next }

function header_checked(   i) {
  header_done = 1
  if (!version) fail("policy file " dir "/policy.conf is empty")
  if (policy_mode == "") fail("policy: no mode record")
  if (ipv6 == "") fail("policy: no ipv6 record")
  if (sets == "") fail("policy: no sets record")
  for (i = 1; i <= nfiles; i++) {
    if (!(order[i] in digest)) fail("policy: no file record for " order[i])
    if (!((dir "/" order[i]) in owned)) fail("policy file " dir "/" order[i] " is missing")
  }
  if (!(dir in owned)) fail("policy folder " dir " is missing")
  if (!((dir "/policy.conf") in owned)) fail("policy file " dir "/policy.conf is missing")
  if (answer_lifetime == "") answer_lifetime = 3600
  if (dns_log == "") dns_log = "8388608 4"
}

# The end of a compiled file: it must end with its end marker (not truncated), and hold what it must.
function finish() {
  if (name == "" || name == "policy.conf") return
  if (last != "# end of " name) fail("policy file " name " is truncated (no \047# end of " name "\047 line at its end)")
  if (name ~ /^filter/) {
    if (!seen_commit || !policies || !src_guard || !dns_guard) \
      fail("policy file " name " lacks the DROP policies, the source address or DNS source guard, or COMMIT")
    seen_commit = policies = src_guard = dns_guard = 0
  }
  if (name == "dnsmasq.conf" && policy_mode == "enforce" && !catch_all) fail("policy file " name " lacks address=/#/")
}

function ipset_line(   w, n, inet, fam, set) {
  # The common line of a large policy, a static IPv4 range, in one match (the general rules below accept the
  # same; mawk has no {n} repeats, hence the four octets written out)
  if ($0 ~ /^add cdv-t-cdv-s(0|[1-9][0-9]?)-4 (25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\/([1-9]|[12][0-9]|3[0-2]) -exist$/) {
    emit($0)
    return
  }
  n = split($0, w, " ")
  fam = substr(w[2], length(w[2]))
  inet = fam == 6 ? "inet6" : "inet"
  if (w[1] == "create") {
    set = w[2]
    if (set ~ /^cdv-(priv)?denied-[46]$/ && $0 == "create " set " hash:ip,port family " inet " counters maxelem 65536 -exist") {
      emit($0)
    } else if (set ~ /^cdv-g(0|[1-9][0-9]?)-[46]$/ && \
      $0 == "create " set " hash:net family " inet " timeout @ANSWER_LIFETIME@ maxelem 262144 -exist") {
      sub(/@ANSWER_LIFETIME@/, answer_lifetime)
      emit($0)
    } else if (set ~ /^cdv-exempt-[46]$/ && $0 ~ /^create cdv-exempt-[46] list:set size [1-9][0-9]*$/) {
      emit($0)
    } else if (set ~ /^(cdv-t-)?cdv-(s(0|[1-9][0-9]?)|private|pans)-[46]$/ && \
      ($0 == "create " set " hash:net family " inet " maxelem 65536" || \
      $0 == "create " set " hash:net family " inet " maxelem 65536 -exist")) {
      emit($0)
    } else if (set ~ /^cdv-t-cdv-s(0|[1-9][0-9]?)-[46]$/ && n == 9 && w[7] ~ /^(2048|4096|8192|16384|32768)$/ && \
      $0 == "create " set " hash:net family " inet " hashsize " w[7] " maxelem 65536") {
      emit($0)  # a large static set, made at its final size
    } else bad("not understood: \047" $0 "\047")
  } else if (w[1] == "add" && n == 3 && w[2] ~ /^cdv-exempt-[46]$/ && w[3] ~ ("^cdv-(s(0|[1-9][0-9]?)|pans)-" fam "$")) {
    emit($0)
  } else if (w[1] == "add" && n == 4 && w[4] == "-exist" && w[2] ~ /^cdv-t-cdv-(s(0|[1-9][0-9]?)|private|pans)-[46]$/) {
    if (w[3] == "@SUBNET@" && w[2] ~ /private/) expand($0, "@SUBNET@", subnets[fam], "drop")
    else if (is_cidr(w[3], fam)) emit($0)
    else bad("invalid IPv" fam " range \047" w[3] "\047")
  } else if (w[1] == "swap" && n == 3 && w[2] == "cdv-t-" w[3] && w[3] ~ /^cdv-(s(0|[1-9][0-9]?)|private|pans)-[46]$/) {
    emit($0)
  } else if (w[1] == "destroy" && n == 2 && w[2] ~ /^cdv-t-cdv-(s(0|[1-9][0-9]?)|private|pans)-[46]$/) {
    emit($0)
  } else bad("not understood: \047" $0 "\047")
}

# Rules that let something through have one of a few shapes; every other rule may only drop, reject, record or
# jump to the deny chains.
function filter_line(fam,   line, docker, w, n, i, j, target, rest, port) {
  line = $0
  docker = sub(/^@DOCKER_DNS@/, "", line)
  # (checked like every line; kept only when Docker\047s resolver is an upstream)
  suppress = docker && !(fam == 4 && uses_docker_dns)
  if (line == "*filter" || line == "COMMIT") {
    seen_commit = line == "COMMIT"
    emit(line)
    return
  }
  if (line ~ /^:(INPUT|FORWARD|OUTPUT) DROP \[0:0\]$/) { policies++; emit(line); return }
  if (line ~ /^:CDV-(DENY|PRIVATE|DNS-SRC|ALLOW) - \[0:0\]$/) { emit(line); return }
  if (line !~ /^-A (INPUT|FORWARD|OUTPUT|CDV-DENY|CDV-PRIVATE|CDV-DNS-SRC|CDV-ALLOW) [-a-zA-Z0-9 .\/:,!@]+$/ || \
    line ~ / -g | --goto /) bad("not understood: \047" $0 "\047")
  n = split(line, w, " ")
  target = ""
  for (i = 1; i <= n; i++) {
    if (w[i] == "-j") {
      if (target != "") bad("two targets: \047" $0 "\047")
      target = w[i + 1]
      rest = ""
      for (j = i + 2; j <= n; j++) rest = rest " " w[j]
    }
  }
  if (line == "-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP") src_guard = 1
  if (line == "-A CDV-DNS-SRC -j DROP") dns_guard = 1
  if (target == "" || target == "DROP" && rest == "" || target ~ /^CDV-(DENY|PRIVATE|DNS-SRC)$/ && rest == "" \
    || target == "REJECT" && rest ~ /^ --reject-with [a-z0-9-]+$/ \
    || line == "-A CDV-ALLOW -j CONNMARK --or-mark 0x1" \
    || target == "SET" && rest ~ /^ --add-set cdv-(priv)?denied-[46] dst,dst$/) {
    if (line ~ /@/) bad("not understood: \047" $0 "\047")
    emit(line)
    return
  }
  # What lets packets through.
  if (line == "-A INPUT -i lo -j ACCEPT" || line == "-A OUTPUT -o lo -j ACCEPT" || line == "-A CDV-ALLOW -j ACCEPT" \
    || line ~ /^-A (INPUT|OUTPUT) -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark 0x1\/0x1 -j ACCEPT$/ \
    || line == "-A CDV-DNS-SRC -m conntrack --ctstate RELATED -j RETURN" \
    || line == "-A CDV-DNS-SRC -m owner --uid-owner 0 -j RETURN" \
    || line == "-A CDV-DNS-SRC -m owner --uid-owner " dns_user " -j RETURN" \
    || line == "-A CDV-DENY -j CDV-ALLOW" && policy_mode == "audit" \
    || fam == 6 && line ~ /^-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type (13[3-7] -m hl --hl-eq 255|130 -m hl --hl-eq 1) -j ACCEPT$/ \
    || fam == 6 && line ~ /^-A OUTPUT -s ::\/128 -p ipv6-icmp -m icmp6 --icmpv6-type (135|143) -j ACCEPT$/ \
    || fam == 6 && line ~ /^-A OUTPUT -p ipv6-icmp -m icmp6 --icmpv6-type (13[356] -m hl --hl-eq 255|(131|132|143) -m hl --hl-eq 1) -j ACCEPT$/ \
    || docker && line == "-A OUTPUT -d " docker_dns "/32 -m owner --uid-owner " dns_user " -j ACCEPT" \
    || docker && line ~ /^-A OUTPUT ! -o lo -p (udp -m udp|tcp -m tcp) --dport 53 -m owner --uid-owner 0 -j CDV-ALLOW$/) {
    emit(line)
    return
  }
  if (line ~ /^-A OUTPUT -d @UPSTREAM@ -p (udp -m udp|tcp -m tcp) --dport 53 -m owner --uid-owner / \
    && line == "-A OUTPUT -d @UPSTREAM@ " w[5] " " w[6] " " w[7] " " w[8] " --dport 53 -m owner --uid-owner " dns_user " -j CDV-ALLOW") {
    expand(line, "@UPSTREAM@", up[fam], "drop")
    return
  }
  if (n == 12 && line == "-A OUTPUT -d @GATEWAY@ -p tcp -m tcp --dport " w[10] " -j CDV-ALLOW") {
    if (!allowed_port(w[10])) bad("port " w[10] " cannot be allowed (DNS goes through the local resolver only)")
    expand(line, "@GATEWAY@", gateways[fam], "drop")
    return
  }
  if (n == 15 && w[8] ~ ("^cdv-[sg](0|[1-9][0-9]?)-" fam "$") \
    && line == "-A OUTPUT -p tcp -m set --match-set " w[8] " dst -m multiport --dports " w[13] " -j CDV-ALLOW") {
    if (!allowed_ports(w[13])) bad("ports " w[13] " cannot be allowed (DNS goes through the local resolver only)")
    emit(line)
    return
  }
  bad("not understood: \047" $0 "\047")
}

function dnsmasq_line(   line, lo, p, h, sl, n, i) {
  line = $0
  lo = sub(/^@LO6@/, "", line)
  if (lo) {
    if (line != "listen-address=::1") bad("not understood: \047" $0 "\047")
    if (lo6) emit(line)
    return
  }
  if (line ~ /^(port=53|listen-address=127\.0\.0\.1|bind-interfaces|no-resolv|no-hosts|no-poll|domain-needed|cache-size=0|log-queries|log-async|filter-AAAA)$/ \
    || line == "user=" dns_user || line == "pid-file=/run/claude-devc/dnsmasq.pid" \
    || line == "log-facility=/var/log/claude-devc/dns.log") {
    emit(line)
    return
  }
  if (line == "group=@DNS_GROUP@") { sub(/@DNS_GROUP@/, dns_group, line); emit(line); return }
  if (line == "address=/#/") { catch_all = 1; emit(line); return }
  if (line == "server=@UPSTREAM@" && policy_mode == "audit") { expand(line, "@UPSTREAM@", upstreams, "drop"); return }
  if (line ~ /^server=\/[^\/]+\/(@UPSTREAM@)?$/) {
    split(line, p, "/")
    h = p[2]
    sub(/^\*\./, "", h)
    if (!is_host(h)) bad("invalid name \047" p[2] "\047")
    if (p[3] == "") emit(line)
    else expand(line, "@UPSTREAM@", upstreams, "")
    return
  }
  if (line ~ /^ipset=\/[^\/]+\/[^\/]+$/) {
    split(line, p, "/")
    if (!is_host(p[2])) bad("invalid name \047" p[2] "\047")
    n = split(p[3], sl, ",")
    for (i = 1; i <= n; i++) {
      if (sl[i] !~ /^cdv-g(0|[1-9][0-9]?)-[46]$/) bad("\047" sl[i] "\047 is not an answer set")
    }
    emit(line)
    return
  }
  bad("not understood: \047" $0 "\047")
}

END {
  if (failed) exit 1
  if (!header_done) header_checked()
  finish()
  if (file_index != nfiles) fail("policy: " dir "/" order[file_index + 1] " is missing")
  if (out == "") exit 0
  s = out "/summary"
  print "mode " policy_mode > s
  print "ipv6 " ipv6 > s
  print "sets " sets > s
  print "answer_lifetime " answer_lifetime > s
  print "dns_log " dns_log > s
  print "upstreams " upstreams > s
  print "host_ports " host_ports > s
  for (k in count) print "count " k " " count[k] > s
  for (i = 1; i <= nverify; i++) print "verify " verify[i] > s
  for (i = 1; i <= nnotes; i++) print "note " notes[i] > s
}
'

# Checks the compiled policy; with a folder, fills the runtime facts in there (the files then load as they are)
# and writes the header's summary. On failure FAIL_REASON says why.
check_policy() {
  local out=${1:-} resolv=/dev/null msg
  [[ -z $out ]] || resolv=$SAVED_RESOLV
  if ! msg=$(
    {
      stat -c 'stat %u %g %a %n %F' "$POLICY_DIR" "$POLICY" "${COMPILED[@]}"
      sha256sum "${COMPILED[@]}"
      if [[ -n $out ]]; then
        ipset list -n
        ip -o addr show scope global
      fi
      :
    } 2>/dev/null | awk -v dir="$POLICY_DIR" -v out="$out" -v resolv="$resolv" -v dns_group="$DNS_GROUP" \
      "$CHECK_AWK" - "$resolv" /etc/hosts /proc/net/if_inet6 /proc/net/route /proc/net/ipv6_route "$POLICY" \
      "${COMPILED[@]}" 2>&1
  ); then
    FAIL_REASON=${msg:-the compiled policy could not be checked}
    FAIL_REASON=${FAIL_REASON//$'\n'/; }
    return 1
  fi
}

# The header's summary the check wrote (a dozen lines: never one per policy entry).
read_summary() {
  local key a b c
  VERIFY=()
  UPSTREAMS=()
  while read -r key a b c; do
    case $key in
      mode) MODE=$a ;;
      ipv6) IPV6=$a ;;
      sets) SET_NAMES="$a${b:+ $b}${c:+ $c}" ;;
      answer_lifetime) ANSWER_LIFETIME=$a ;;
      dns_log) DNS_LOG_MAX=$a DNS_LOG_KEEP=$b ;;
      upstreams) read -r -a UPSTREAMS <<<"$a${b:+ $b}${c:+ $c}" ;;
      host_ports) HOST_PORTS="$a${b:+ $b}${c:+ $c}" ;;
      count) COUNTS[$a]=$b ;;
      verify) VERIFY+=("$a $b $c") ;;
      note) NOTES+=("$a${b:+ $b}${c:+ $c}") ;;
    esac
  done <"$SUMMARY"
  if ((${#UPSTREAMS[@]} == 0)); then
    NOTES+=("no usable upstream resolver in the container's original resolv.conf: no name resolves")
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Preparation: directories, the resolver's user, the upstream resolvers.
# ---------------------------------------------------------------------------------------------------------

ensure_dns_user() {
  if ! check_dns_user; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$DNS_USER"
    check_dns_user || die "the account $DNS_USER cannot be made"
  fi
}

# The resolver's uid is what lets packets reach the upstream DNS server: it must be its own. Refuse when it is
# root's, when another account shares it, or when the caller (sudo's SUDO_UID, which sudo sets itself) has it.
# (One awk over the account files; returns 1 without a reason when the account does not exist yet.)
check_dns_user() {
  local dns_uid sharing
  read -r dns_uid DNS_GROUP sharing < <(awk -F: -v u="$DNS_USER" '
    FILENAME == "/etc/passwd" && $1 == u {uid = $3; gid = $4}
    FILENAME == "/etc/passwd" {names[$3] = names[$3] (names[$3] == "" ? "" : ",") $1}
    FILENAME == "/etc/group" && $3 == gid && group == "" {group = $1}
    END {if (uid != "") print uid, (group == "" ? gid : group), names[uid]}' /etc/passwd /etc/group) || true
  [[ -n ${dns_uid:-} ]] || return 1
  [[ $dns_uid != 0 ]] || die "the resolver's account $DNS_USER has uid 0; refusing"
  [[ $sharing == "$DNS_USER" ]] ||
    die "accounts $sharing share the resolver's uid $dns_uid: their traffic would pass as the resolver's; refusing"
  [[ ${SUDO_UID:-} != "$dns_uid" ]] ||
    die "the caller has the resolver's uid $dns_uid: the agent must not be $DNS_USER; refusing"
}

# (Below root-only parents: only root could have made them, so existing ones are taken as they are.)
prepare_dirs() {
  if [[ ! -d $STATE_DIR || ! -d $LOG_DIR || -L $STATE_DIR || -L $LOG_DIR ]]; then
    install -d -m 0755 -o root -g root "$STATE_DIR" "$LOG_DIR"
  fi
  if [[ ! -f $DNS_LOG || -L $DNS_LOG ]]; then
    [[ ! -e $DNS_LOG && ! -L $DNS_LOG ]] || rm -f "$DNS_LOG"
    install -m 0644 -o "$DNS_USER" -g "$DNS_GROUP" /dev/null "$DNS_LOG"
  else
    # The resolver's group: dnsmasq makes a log of another group 0660 at start, which the user could not read.
    chown "$DNS_USER:$DNS_GROUP" "$DNS_LOG"
    chmod 0644 "$DNS_LOG"
  fi
}

# The container's original resolv.conf is saved on the first run; later runs (and runs after a restart,
# when /etc/resolv.conf still carries our marker) use the saved copy.
save_original_resolv() {
  local first="" content
  [[ -r $RESOLV ]] || die "$RESOLV is missing"
  read -r first <"$RESOLV" || true
  if [[ $first != "$RESOLV_MARKER" ]]; then
    content=$(<"$RESOLV")
    printf '%s\n' "$content" >"$SAVED_RESOLV.tmp"
    mv -f "$SAVED_RESOLV.tmp" "$SAVED_RESOLV"
  fi
  [[ -s $SAVED_RESOLV ]] || die "$RESOLV was rewritten by an earlier run but $SAVED_RESOLV is missing"
}

# ---------------------------------------------------------------------------------------------------------
# Sets and resolver: the filled compiled files, each in one load.
# ---------------------------------------------------------------------------------------------------------

# One `ipset restore`: every old set but the denied-connection counters destroyed (nothing references them
# under the lockdown), the sets made anew and the static ones filled as temporary sets and swapped in.
build_sets() {
  ipset restore <"$RUN_DIR/ipsets.restore"
}

# dnsmasq, the only resolver: forwards allowlisted names only (NXDOMAIN for everything else) and adds every
# answer to the allow sets before replying (the compiled dnsmasq.conf, firewall/README.md "DNS").

# Live dnsmasq processes of the resolver's user. Zombies are skipped: without an init process in the
# container nobody reaps a killed dnsmasq, and a zombie holds no socket.
# Where the caller may look (root), only those in this network namespace count: with a shared PID namespace
# another container's resolver is visible too.
resolver_pids() {
  local pid state _
  RESOLVERS=()
  for pid in $(pgrep -u "$DNS_USER" -x dnsmasq || true); do
    read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || continue
    [[ $state == Z || $state == X ]] && continue
    # The same namespace (-ef: the same nsfs inode); a caller who may not look counts every one.
    if [[ /proc/$pid/ns/net -ef /proc/self/ns/net || ! -e /proc/$pid/ns/net ]]; then
      RESOLVERS+=("$pid")
    fi
  done
  return 0
}

# Whether the dnsmasq this apply started runs (its pid file and /proc; no process).
resolver_started() {
  local pid="" state comm="" _
  read -r pid 2>/dev/null <"$RUN_DIR/dnsmasq.pid" || return 1
  [[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
  read -r comm 2>/dev/null <"/proc/$pid/comm" || return 1
  read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" || return 1
  [[ $comm == dnsmasq && $state != Z && $state != X ]]
}

# Waits up to $1 seconds without a process: a read on a pipe nobody writes (only this shell holds its ends).
pause() {
  local fd _
  exec {fd}<> <(:)
  read -r -t "$1" -u "$fd" _ || true
  exec {fd}<&-
}

# Stops the previous resolver: SIGTERM, then waits for exactly as long as it takes to go (no fixed sleep),
# SIGKILL after 2 s.
stop_dnsmasq() {
  local i pid state _
  resolver_pids
  ((${#RESOLVERS[@]})) || return 0
  kill -TERM "${RESOLVERS[@]}" 2>/dev/null || true
  for ((i = 0; i < 1000; i++)); do
    for pid in "${RESOLVERS[@]}"; do
      state=X
      read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || true
      [[ $state == Z || $state == X ]] || break
      pid=""
    done
    [[ -n $pid ]] || break
    ((i != 500)) || kill -KILL "${RESOLVERS[@]}" 2>/dev/null || true
    pause 0.004
  done
  resolver_pids
  ((${#RESOLVERS[@]} == 0)) || die "the previous dnsmasq does not stop"
}

start_dnsmasq() {
  stop_dnsmasq
  # dnsmasq returns only after it has bound its sockets (or failed to).
  dnsmasq --conf-file="$DNSMASQ_CONF" || die "dnsmasq did not start (is something else using port 53?)"
}

# ---------------------------------------------------------------------------------------------------------
# dns.log rotation: a root process (started by each apply, so at every container start; the agent cannot
# signal it, and it reads nothing the agent can write) renames a full log to dns.log.1, shifting older ones,
# makes a new empty dns.log for the resolver and tells dnsmasq (SIGUSR2) to reopen it. Nothing is lost: until
# it reopens, dnsmasq writes on into dns.log.1. Rotated files are root's; at most DNS_LOG_KEEP are kept.
# ---------------------------------------------------------------------------------------------------------

# The running rotator's pid, if there is one (a live root process whose command is ours).
rotator_pid() {
  local pid="" state arg _
  local -a cmd
  [[ -r $ROTATOR_PID ]] && read -r pid <"$ROTATOR_PID"
  [[ $pid =~ ^[1-9][0-9]*$ && -r /proc/$pid/stat && -O /proc/$pid ]] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || return 1
  [[ $state != Z && $state != X ]] || return 1
  mapfile -d '' -t cmd <"/proc/$pid/cmdline" 2>/dev/null || return 1
  for arg in "${cmd[@]}"; do
    [[ $arg != rotate-dns-log ]] || { echo "$pid"; return 0; }
  done
  return 1
}

start_rotator() {
  local old
  if old=$(rotator_pid); then
    kill -TERM "$old" 2>/dev/null || true
  fi
  # A new session, no terminal, none of our descriptors (the run lock above all), a clean environment.
  env -i PATH="$PATH" setsid "/usr/local/sbin/$PROG" rotate-dns-log </dev/null >/dev/null 2>&1 9>&- &
  # $! is the rotator itself: env and setsid exec (a background child never leads its process group, so
  # setsid does not fork). It reads this file first after ROTATE_EVERY seconds.
  echo "$!" >"$ROTATOR_PID"
}

rotate_once() {
  local size i
  size=$(stat -c %s "$DNS_LOG" 2>/dev/null) || return 0
  ((size >= DNS_LOG_MAX)) || return 0
  for ((i = DNS_LOG_KEEP - 1; i >= 1; i--)); do
    [[ ! -f $DNS_LOG.$i ]] || mv -f "$DNS_LOG.$i" "$DNS_LOG.$((i + 1))"
  done
  mv -f "$DNS_LOG" "$DNS_LOG.1"
  chown root:root "$DNS_LOG.1"
  install -m 0644 -o "$DNS_USER" -g root /dev/null "$DNS_LOG"
  resolver_pids
  ((${#RESOLVERS[@]} == 0)) || kill -USR2 "${RESOLVERS[@]}" 2>/dev/null || true
}

# Rotated files beyond the number kept (left by a policy that kept more).
remove_extra_logs() {
  local f n
  for f in "$DNS_LOG".*; do
    n=${f##*.}
    [[ -f $f && $n =~ ^[0-9]+$ ]] || continue
    ((10#$n <= DNS_LOG_KEEP)) || rm -f "$f"
  done
}

rotate_dns_log() {
  [[ $EUID == 0 ]] || usage_error "rotate-dns-log needs root (the firewall's apply starts it)"
  # What the apply's check read from the root-owned header, in the root-only run folder.
  read_summary
  remove_extra_logs
  local pid
  while :; do
    rotate_once || true
    sleep "$ROTATE_EVERY"
    # Replaced by a later apply's rotator: stop. (The apply writes the pid file just after starting us.)
    pid=""
    read -r pid <"$ROTATOR_PID" 2>/dev/null || true
    [[ $pid == "$$" ]] || exit 0
  done
}

write_resolv() {
  local line text=$RESOLV_MARKER$'\n'"nameserver 127.0.0.1"$'\n'
  while IFS= read -r line; do
    [[ ! $line =~ ^(search|options)[[:space:]] ]] || text+=$line$'\n'
  done <"$SAVED_RESOLV"
  # /etc/resolv.conf is usually a bind mount: rewritten in place.
  printf '%s' "$text" >"$RESOLV"
}

# The final filter tables: whole-table restores of the filled compiled files.
apply_tables() {
  iptables-restore -w 10 <"$RUN_DIR/filter4.rules" || return 1
  if ((V6_ENABLED)); then
    ip6tables-restore -w 10 <"$RUN_DIR/filter6.rules" || return 1
  else
    ip6tables-restore -w 10 <"$RUN_DIR/filter6.rules" 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------------------------------------------------
# Self-test, state file, status.
# ---------------------------------------------------------------------------------------------------------

# host:port for messages, IPv6 literals in brackets.
endpoint() {
  local host=${1#[}
  host=${host%]}
  if [[ $host == *:* ]]; then
    printf '[%s]:%s' "$host" "$2"
  else
    printf '%s:%s' "$host" "$2"
  fi
}

# Connects as nobody (so no uid-based exception applies) through the local resolver.
probe() {
  local host=$1 port=$2
  host=${host#[}
  host=${host%]}
  # shellcheck disable=SC2016 # $1 and $2 belong to the inner shell
  # (The environment is this script's own: sudo and the entrypoint clear the caller's; bash -p reads none of it.)
  timeout "$PROBE_TIMEOUT" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
    bash -p -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$host" "$port" 2>/dev/null
}

# A family's filter rules as the kernel lists them (no counters), in REPLY.
list_rules() {
  REPLY=$("$1" -w 10 -S 2>/dev/null) || REPLY=""
}

# Whether a listing (list_rules) has DROP policies on INPUT, FORWARD and OUTPUT.
drops() {
  [[ $'\n'$1$'\n' == *$'\n-P INPUT DROP\n'* && $'\n'$1$'\n' == *$'\n-P FORWARD DROP\n'* &&
    $'\n'$1$'\n' == *$'\n-P OUTPUT DROP\n'* ]]
}

policies_drop() {
  list_rules "$1"
  drops "$REPLY"
}

# The SHA-256 of a listing, in REPLY: what apply loaded, for status to compare.
digest_of() {
  local d
  d=$(sha256sum <<<"$1")
  REPLY=${d%% *}
}

# This container start: the host's boot, the start time of the container's PID 1 and the network namespace.
# A restart or a stop and start gives a new PID 1 and a new namespace (whose id the kernel may reuse, so it is
# no identity alone; and PID 1 is not the container's own when its PID namespace is shared).
start_id() {
  local boot stat netns
  local -a f
  read -r boot </proc/sys/kernel/random/boot_id
  read -r stat </proc/1/stat
  read -r -a f <<<"${stat##*) }" # fields from the 3rd (state) on: the command name may hold spaces
  netns=$(readlink /proc/self/ns/net)
  netns=${netns#net:[}
  printf '%s:%s:%s\n' "$boot" "${f[19]}" "${netns%]}"
}

# A digest of a family's filter rules as the kernel lists them, printed.
rules_digest() {
  list_rules "$1"
  [[ -n $REPLY ]] || return 0
  digest_of "$REPLY"
  echo "$REPLY"
}

# Returns 0 when everything holds; 1 when an allowed target fails (the policy stays); 2 when the policy is
# not in force or a denied target is reachable (the caller locks down).
self_test() {
  local entry what host port target rc=0 rules4 rules6=""
  list_rules iptables
  rules4=$REPLY
  if ((V6_ENABLED)); then
    list_rules ip6tables
    rules6=$REPLY
  fi
  if drops "$rules4" && { ((!V6_ENABLED)) || drops "$rules6"; }; then
    CHECKS+=("policy DROP ok")
    # What status compares the kernel's tables with later (nothing changes them before the state is written):
    # both digests from one sha256sum.
    local sums
    sums=$(sha256sum /dev/fd/3 /dev/fd/4 3<<<"$rules4" 4<<<"$rules6")
    RULES4=${sums%% *}
    if ((V6_ENABLED)); then
      sums=${sums#*$'\n'}
      RULES6=${sums%% *}
    fi
  else
    CHECKS+=("policy DROP FAILED")
    rc=2
  fi
  if resolver_started; then
    CHECKS+=("resolver running ok")
  else
    CHECKS+=("resolver running FAILED")
    rc=2
  fi
  for entry in "${VERIFY[@]}"; do
    read -r what host port <<<"$entry"
    target=$(endpoint "$host" "$port")
    if [[ $what == allow ]]; then
      if probe "$host" "$port"; then
        CHECKS+=("allow $target ok")
      else
        CHECKS+=("allow $target FAILED (not reachable)")
        ((rc == 2)) || rc=1
      fi
    elif [[ $MODE == audit ]]; then
      CHECKS+=("deny $target skipped (audit mode)")
    elif probe "$host" "$port"; then
      CHECKS+=("deny $target FAILED (reachable)")
      rc=2
    else
      CHECKS+=("deny $target ok")
    fi
  done
  return "$rc"
}

count_records() {
  local k
  for k in groups allowed_names allowed_nets denied_names; do
    printf '%s=%s\n' "$k" "${COUNTS[$k]:-0}"
  done
  printf 'host_ports=%s\n' "$HOST_PORTS"
}

write_state() {
  local result=$1 c n tmp=$STATE_FILE.tmp now
  [[ -d $STATE_DIR ]] || install -d -m 0755 "$STATE_DIR"
  printf -v now '%(%Y-%m-%dT%H:%M:%SZ)T' -1
  [[ -n $START_ID ]] || START_ID=$(start_id)
  {
    echo "# $PROG state: key=value, one per line"
    echo "result=$result"
    echo "applied=$now"
    echo "mode=${MODE:-unknown}"
    echo "ipv6=${IPV6:-unknown}"
    echo "upstream=${UPSTREAMS[*]:-}"
    echo "start=$START_ID"
    echo "closed=$CLOSED"
    [[ -z $RULES4 ]] || echo "rules4=$RULES4"
    [[ -z $RULES6 ]] || echo "rules6=$RULES6"
    [[ -z $SETS ]] || echo "sets=$SETS"
    [[ -z $FIXED_SETS ]] || echo "fixed_sets=$FIXED_SETS"
    [[ -z $ANSWER_LIFETIME ]] || echo "answer_lifetime=$ANSWER_LIFETIME"
    count_records
    [[ -z $FAIL_REASON ]] || echo "error=$FAIL_REASON"
    for c in "${CHECKS[@]}"; do
      echo "check=$c"
    done
    for n in "${NOTES[@]}"; do
      echo "note=$n"
    done
  } >"$tmp"
  mv -f "$tmp" "$STATE_FILE"
}

# The sets whose contents never change after an apply: static ranges, private and exempt ranges.
is_fixed_set() {
  [[ $1 == "${SET_PREFIX}s"[0-9]* || $1 == "$PRIVATE_PREFIX"* || $1 == "$EXEMPT_PREFIX"* || $1 == "$PANS_PREFIX"* ]]
}

# The type, header and members of the fixed sets among the named ones, as one digest (one `ipset list`).
fixed_sets_digest() {
  local set names=" "
  for set in "$@"; do
    is_fixed_set "$set" && names+="$set "
  done
  ipset list 2>/dev/null | awk -v names="$names" '
    /^Name:/ {set = $2; keep = index(names, " " set " ") > 0; m = 0; next}
    !keep {next}
    /^Members:/ {m = 1; next}
    m && NF {print set, $0; next}
    /^(Type|Header):/ {sub(/ hashsize [0-9]+/, ""); sub(/ initval [0-9a-fx]+/, ""); print set, $0}' |
    sort | sha256sum
}

# What status compares the kernel's sets with later (the rules' digests come from the self-test).
record_loaded() {
  SETS=$SET_NAMES
  # shellcheck disable=SC2086 # a list of set names
  FIXED_SETS=$(fixed_sets_digest $SETS)
  FIXED_SETS=${FIXED_SETS%% *}
}

# The marker `wait` looks for: the policy is in force for this container start.
write_ready() {
  printf 'start=%s\n' "$START_ID" >"$READY_FILE.tmp"
  mv -f "$READY_FILE.tmp" "$READY_FILE"
}

on_error() {
  [[ -n $FAIL_REASON ]] || FAIL_REASON="line $1: '$2' failed"
}

on_exit() {
  local rc=$?
  ((APPLY_DONE)) && return
  ((rc != 0)) || rc=1
  if lockdown 2>/dev/null; then
    CLOSED=yes
  fi
  FAIL_REASON=${FAIL_REASON:-interrupted (exit $rc)}
  write_state failed 2>/dev/null || true
  if [[ $CLOSED == yes ]]; then
    log "FAILED: $FAIL_REASON; outbound traffic stays blocked (default deny)"
  else
    log "FAILED: $FAIL_REASON; the filter tables could not be set: outbound traffic is NOT blocked"
  fi
  exit "$rc"
}

on_signal() {
  FAIL_REASON="interrupted by a signal"
  exit 1
}

apply() {
  [[ $EUID == 0 ]] || usage_error "applying the firewall needs root: sudo /usr/local/sbin/$PROG"
  [[ -d $RUN_DIR && ! -L $RUN_DIR ]] || install -d -m 0755 -o root -g root "$RUN_DIR"
  # Root-only: a lock file others can open is a lock they can hold, keeping every later run waiting.
  if [[ -e $LOCK_FILE && $(stat -c %a "$LOCK_FILE") != 600 ]]; then
    rm -f "$LOCK_FILE"
  fi
  (umask 077 && : >>"$LOCK_FILE")
  exec 9>>"$LOCK_FILE"
  flock -w 60 9 || die "another $PROG run holds $LOCK_FILE"
  trap on_exit EXIT
  trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
  trap on_signal INT TERM HUP
  [[ ! -e $READY_FILE ]] || rm -f "$READY_FILE"
  detect_v6
  lockdown || die "cannot apply the lockdown tables (does the container have NET_ADMIN?)"
  CLOSED=yes
  log "lockdown in place (default deny)"
  START_ID=$(start_id)
  ensure_dns_user
  prepare_dirs
  save_original_resolv
  check_policy "$RUN_DIR" || exit 1
  read_summary
  build_sets || die "cannot build the ipsets"
  start_dnsmasq
  start_rotator
  write_resolv
  apply_tables || die "cannot apply the filter tables"
  local rc=0
  self_test || rc=$?
  case $rc in
    0)
      record_loaded
      write_state ok
      write_ready
      APPLY_DONE=1
      log "applied: mode $MODE, ipv6 $IPV6, ${COUNTS[allowed_names]:-0} names, ${COUNTS[allowed_nets]:-0} networks;" \
        "self-test passed"
      ;;
    1)
      FAIL_REASON="self-test: an allowed target is unreachable (the policy stays in force)"
      write_state failed
      APPLY_DONE=1
      printf '  %s\n' "${CHECKS[@]}" >&2
      log "FAILED: $FAIL_REASON"
      exit 1
      ;;
    *)
      printf '  %s\n' "${CHECKS[@]}" >&2
      die "self-test: the policy is not in force"
      ;;
  esac
}

# Checks the compiled policy as an apply does, changing nothing (any user; for tests and `claude-devc`).
check_only() {
  if check_policy; then
    echo "policy ok: $POLICY and ${#COMPILED[@]} compiled files"
  else
    log "$FAIL_REASON"
    return 1
  fi
}

print_denied() {
  local set=$1 word=${2:-denied}
  ipset list "$set" 2>/dev/null | awk -v word="$word" '
    /^Members:/ {m = 1; next}
    m && NF {printf "%s %s packets=%s\n", word, $1, $3}'
}

# The rejected connections, one line each: `denied <address>,<proto>:<port> packets=<n> last=<epoch>`. The kernel's
# sets count packets but keep no time, so each call compares the counts with the previous call's (root-owned
# DENIED_SEEN, which only this command writes) and stamps the entries whose count grew with the current time. The
# hook that shows denials to the agent runs right after a failed command, which makes "last" close enough.
denials() {
  if [[ $EUID != 0 ]]; then
    exec sudo -n "/usr/local/sbin/$PROG" denials
  fi
  local now entry packets old_packets old_last last
  now=$(date +%s)
  declare -A seen_packets=() seen_last=()
  if [[ -f $DENIED_SEEN && ! -L $DENIED_SEEN ]]; then
    while read -r entry packets last; do
      [[ $entry =~ ^[0-9a-f.:]+,(tcp|udp|icmp|ipv6-icmp|[a-z0-9-]+):[0-9]+$ && $packets =~ ^[0-9]+$ \
        && $last =~ ^[0-9]+$ ]] || continue
      seen_packets[$entry]=$packets
      seen_last[$entry]=$last
    done <"$DENIED_SEEN"
  fi
  : >"$DENIED_SEEN.tmp"
  while read -r entry packets; do
    packets=${packets#packets=}
    old_packets=${seen_packets[$entry]:-}
    old_last=${seen_last[$entry]:-}
    if [[ -z $old_packets || $packets -gt $old_packets || -z $old_last ]]; then
      last=$now
    else
      last=$old_last
    fi
    echo "$entry $packets $last" >>"$DENIED_SEEN.tmp"
    echo "denied $entry packets=$packets last=$last"
  done < <({ print_denied "$DENIED4"; print_denied "$DENIED6"; } | sed 's/^denied //')
  chmod 0644 "$DENIED_SEEN.tmp"
  mv -f "$DENIED_SEEN.tmp" "$DENIED_SEEN"
}

declare -A STATE=()         # the state file's single-valued keys
declare -a PROBLEMS=()      # what does not hold now
declare -a LIVE=()          # what was seen, key=value

read_state() {
  local line
  while IFS= read -r line; do
    [[ $line == *=* && $line != \#* ]] || continue
    case ${line%%=*} in
      check | note) ;;
      *) STATE[${line%%=*}]=${line#*=} ;;
    esac
  done <"$STATE_FILE"
}

# What holds now, as far as this caller can see: the last apply was for this container start and finished,
# the resolver runs and answers, resolv.conf points at it; as root also the kernel's tables and sets, which
# must be exactly the ones that apply loaded.
live_check() {
  local id line="" set
  id=$(start_id)
  [[ ${STATE[start]:-} == "$id" ]] ||
    PROBLEMS+=("the last run was for an earlier container start: the firewall has not run since this one began")
  if [[ -r $READY_FILE ]]; then
    read -r line <"$READY_FILE" || true
  fi
  [[ $line == "start=$id" ]] ||
    PROBLEMS+=("no ready marker for this container start (an apply is running, failed, or never finished)")
  resolver_pids
  if ((${#RESOLVERS[@]})); then
    LIVE+=("resolver=running")
    if command -v dig >/dev/null && ! dig +time=1 +tries=1 +short @127.0.0.1 version.bind chaos txt >/dev/null 2>&1; then
      PROBLEMS+=("the resolver does not answer on 127.0.0.1")
    fi
  else
    LIVE+=("resolver=stopped")
    PROBLEMS+=("the resolver is not running: no name resolves")
  fi
  if rotator_pid >/dev/null; then
    LIVE+=("rotator=running")
  else
    LIVE+=("rotator=stopped")
    PROBLEMS+=("the dns.log rotator is not running: the resolver's log would grow without bound")
  fi
  if [[ $(head -n 1 "$RESOLV" 2>/dev/null) != "$RESOLV_MARKER" ]] ||
    grep -E '^[[:space:]]*nameserver' "$RESOLV" | grep -vqE '^nameserver 127\.0\.0\.1$'; then
    PROBLEMS+=("$RESOLV does not point at the local resolver only")
  fi
  if [[ $EUID != 0 ]]; then
    LIVE+=("note=the kernel's tables were not checked (root only): sudo /usr/local/sbin/$PROG status")
    return
  fi
  detect_v6
  policies_drop iptables || PROBLEMS+=("IPv4 policies are not DROP")
  ((!V6_ENABLED)) || policies_drop ip6tables || PROBLEMS+=("IPv6 policies are not DROP")
  [[ $(rules_digest iptables) == "${STATE[rules4]:-}" ]] ||
    PROBLEMS+=("the IPv4 filter rules differ from the ones the firewall loaded")
  if ((V6_ENABLED)); then
    [[ $(rules_digest ip6tables) == "${STATE[rules6]:-}" ]] ||
      PROBLEMS+=("the IPv6 filter rules differ from the ones the firewall loaded")
  fi
  local -A present=()
  while read -r set; do
    present[$set]=1
  done < <(ipset list -n 2>/dev/null)
  local want header
  for set in ${STATE[sets]:-}; do
    if [[ -z ${present[$set]:-} ]]; then
      PROBLEMS+=("the allow set $set is missing")
      continue
    fi
    want="inet"
    [[ $set == *-6 ]] && want="inet6"
    header=$(ipset list -t "$set" 2>/dev/null) || header=""
    if [[ $set == "$EXEMPT_PREFIX"* ]]; then
      grep -q "^Type: list:set$" <<<"$header" ||
        PROBLEMS+=("the set $set is not the list of static and private-answer sets the firewall made")
      continue
    fi
    grep -q "^Type: hash:net$" <<<"$header" &&
      grep -q "^Header: family $want " <<<"$header" ||
      PROBLEMS+=("the allow set $set is not the hash:net set of family $want the firewall made")
    if [[ $set == "${SET_PREFIX}g"* ]]; then
      grep -q "^Header: .* timeout ${STATE[answer_lifetime]:-none} " <<<"$header" ||
        PROBLEMS+=("the allow set $set does not give DNS answers the lifetime of ${STATE[answer_lifetime]:-?} s")
    elif grep -q "^Header: .* timeout " <<<"$header"; then
      PROBLEMS+=("the set $set has a timeout: its entries would expire")
    fi
  done
  local fixed
  # shellcheck disable=SC2086 # a list of set names
  fixed=$(fixed_sets_digest ${STATE[sets]:-})
  [[ ${fixed%% *} == "${STATE[fixed_sets]:-}" ]] ||
    PROBLEMS+=("the static, private or exempt sets differ from the ones the firewall loaded")
}

# Prints whether the policy is in force now (result=ok|failed|not-in-force|unverified|never-applied, and a
# problem= line for each thing that does not hold), then the last run's record. Exits 0 only for result=ok.
# The user gets the kernel check through the exact sudo entry for `status`.
status() {
  if [[ $EUID != 0 ]] && sudo -n -l "/usr/local/sbin/$PROG" status >/dev/null 2>&1; then
    exec sudo -n "/usr/local/sbin/$PROG" status
  fi
  if [[ ! -r $STATE_FILE ]]; then
    echo "result=never-applied"
    return 1
  fi
  read_state
  local result=${STATE[result]:-unknown} p
  live_check
  if [[ $result == ok ]]; then
    if ((${#PROBLEMS[@]})); then
      result=not-in-force
    elif [[ $EUID != 0 ]]; then
      result=unverified
    fi
  fi
  echo "result=$result"
  for p in "${PROBLEMS[@]}"; do
    echo "problem=$p"
  done
  grep -v -e '^#' -e '^result=' "$STATE_FILE"
  printf '%s\n' "${LIVE[@]}"
  if [[ $EUID == 0 ]]; then
    local set entries
    for set in $(ipset list -n 2>/dev/null | grep -E '^cdv-g[0-9]+-[46]$' | sort -V); do
      entries=$(ipset list "$set" | awk -F': ' '/^Number of entries/ {print $2}')
      echo "set=$set entries=$entries"
    done
    print_denied "$DENIED4"
    print_denied "$DENIED6"
    print_denied "$PRIVDENIED4" private-denied
    print_denied "$PRIVDENIED6" private-denied
  fi
  [[ $result == ok ]]
}

# Whether the state file records a failed apply for this container start.
failed_for() {
  local line start="" result=""
  [[ -r $STATE_FILE ]] || return 1
  while IFS= read -r line; do
    case $line in
      start=*) start=${line#start=} ;;
      result=*) result=${line#result=} ;;
    esac
  done <"$STATE_FILE"
  [[ $start == "$1" && $result == failed ]]
}

# Waits until the firewall is in force for this container start (the ready marker the apply writes after its
# self-test), or fails as soon as the apply for this start has failed, or after WAIT_SECONDS.
wait_ready() {
  local id line i
  id=$(start_id)
  for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
    line=""
    if [[ -r $READY_FILE ]]; then
      read -r line <"$READY_FILE" || true
    fi
    if [[ $line == "start=$id" ]]; then
      log "in force for this container start"
      return 0
    fi
    if failed_for "$id"; then
      grep -E '^(error|check)=' "$STATE_FILE" >&2 || true
      log "FAILED at this container start; outbound traffic stays blocked (docker logs has the details)"
      return 1
    fi
    pause 0.1
  done
  log "not applied within ${WAIT_SECONDS}s of this container start (does the image's ENTRYPOINT run? docker logs)"
  return 1
}

main() {
  case "$#:${1:-}" in
    0:) apply ;;
    1:status) status ;;
    1:wait) wait_ready ;;
    1:denials) denials ;;
    1:start-id) start_id ;;
    1:check) check_only ;;
    1:rotate-dns-log) rotate_dns_log ;;
    1:-h | 1:--help) echo "$USAGE" ;;
    *) usage_error "unexpected arguments (the policy comes from $POLICY_DIR only)" ;;
  esac
}

main "$@"
