#!/bin/bash -p
# claude-devc-firewall: the default-deny egress firewall of a claude-devc dev container.
#
# Usage: claude-devc-firewall          apply /etc/claude-devc/policy.conf (root; the user runs it via sudo)
#        claude-devc-firewall status   check that the policy is in force now and print it (root for the
#                                      kernel's state: the user runs it via sudo; others see the last run)
#        claude-devc-firewall wait     wait until this container start has applied the firewall (any user)
#        claude-devc-firewall start-id print this container start's identity (for the entrypoint)
#
# Contract (see firewall/README.md): the filter tables are locked down (DROP, whole-table restores) before
# anything else; any failure after that leaves them locked down. Only allowlisted names resolve (local
# dnsmasq, answers added to ipsets before the client sees them); only allowlisted addresses are reachable,
# on their group's TCP ports; everything else is rejected and recorded. The nat table (Docker's
# 127.0.0.11 rules) is never touched. Arguments other than `status`, and the environment, are ignored or
# refused: nothing a caller passes can widen the policy.
set -euo pipefail
# -p (above): bash reads no BASH_ENV and imports no functions, SHELLOPTS or BASHOPTS from the environment,
# should a sudoers policy ever let the caller pass them.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
IFS=$' \t\n'
export PATH LC_ALL
umask 022

readonly PROG=claude-devc-firewall
readonly POLICY=/etc/claude-devc/policy.conf
readonly STATE_DIR=/var/lib/claude-devc
readonly STATE_FILE=$STATE_DIR/status
readonly READY_FILE=$STATE_DIR/ready
readonly SAVED_RESOLV=$STATE_DIR/resolv.conf.orig
readonly DENIED_SEEN=$STATE_DIR/denied-seen
readonly LOG_DIR=/var/log/claude-devc
readonly DNS_LOG=$LOG_DIR/dns.log
readonly RUN_DIR=/run/claude-devc
readonly DNSMASQ_CONF=$RUN_DIR/dnsmasq.conf
readonly DNSMASQ_PID=$RUN_DIR/dnsmasq.pid
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
readonly EXEMPT_PREFIX=cdv-exempt-       # what the policy names itself: allow-net and private-answer ranges
readonly PRIVDENIED4=cdv-privdenied-4    # destinations refused because an allowed name answered them
readonly PRIVDENIED6=cdv-privdenied-6
readonly PROBE_TIMEOUT=5
# How long an address a DNS answer added stays in the allow sets, refreshed by every answer naming it: well
# above client caches (the JVM keeps answers 30 s, glibc none, browsers about a minute). Connections already
# established outlive it. The policy's answer-lifetime record overrides it (tests use a few seconds).
readonly DEFAULT_ANSWER_LIFETIME=3600
# dns.log is rotated by size by a root process the apply starts (rotate-dns-log): at DNS_LOG_MAX bytes it
# becomes dns.log.1 (dns.log.2 …), DNS_LOG_KEEP rotated files are kept. The policy's dns-log record overrides.
readonly DEFAULT_DNS_LOG_MAX=8388608
readonly DEFAULT_DNS_LOG_KEEP=4
readonly ROTATE_EVERY=2
readonly ROTATOR_PID=$RUN_DIR/rotator.pid
readonly WAIT_SECONDS=120
readonly USAGE="usage: $PROG          apply the policy (as root; via sudo with no arguments)
       $PROG status   check that the policy is in force now (as root: sudo $PROG status)
       $PROG wait     wait until this container start has applied the firewall
       $PROG denials  the connections it rejected, with when each was last seen (as root: sudo $PROG denials)
       $PROG rotate-dns-log   rotate the resolver's log by size, forever (root; the apply starts it)"

readonly RE_HOST='^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'
readonly RE_PORT='^[1-9][0-9]{0,4}$'
readonly RE_GROUP='^(0|[1-9][0-9]?)$'
readonly RE_IP4='^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$'
readonly RE_IP6='^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$'
readonly RE_LINE='^[]a-z0-9.:/,[ -]+$'

# Parsed policy.
MODE=""
IPV6=""
declare -A GROUP_PORTS=()   # group id -> "443,80"
ALLOW_NAMES=()              # "group kind host"
ALLOW_NETS=()               # "group cidr"
DENY_NAMES=()               # host
HOST_PORTS=()               # port
PRIVATE_ANSWERS=()          # cidr
VERIFY=()                   # "allow|deny host port"
ANSWER_LIFETIME=""          # seconds
DNS_LOG_MAX=""              # bytes
DNS_LOG_KEEP=""             # rotated files

# Facts gathered while applying.
UPSTREAMS=()                # resolver addresses from the container's original resolv.conf
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
  if [[ ${1:-} == with-resolver ]]; then
    echo "-A CDV-DNS-SRC -m owner --uid-owner $DNS_USER -j RETURN"
  fi
  echo "-A CDV-DNS-SRC -j DROP"
}

lockdown_v4() {
  cat <<EOF
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
$(dns_source_guard)
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp-port-unreachable
COMMIT
EOF
}

lockdown_v6() {
  cat <<EOF
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
:CDV-DNS-SRC - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP
$(dns_source_guard)
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp6-port-unreachable
COMMIT
EOF
}

# IPv6 is in use when the kernel lists an IPv6 address. (/proc files have size 0: read them, do not `-s`.)
detect_v6() {
  if grep -q . /proc/net/if_inet6 2>/dev/null; then
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
# Policy parsing: every field is checked against a tight pattern; anything unknown is refused.
# ---------------------------------------------------------------------------------------------------------

is_host() { [[ ${#1} -le 253 && $1 =~ $RE_HOST ]]; }
is_ip4() { [[ $1 =~ $RE_IP4 ]]; }
is_ip6() { [[ $1 == *:* && ${#1} -le 39 && $1 =~ $RE_IP6 ]]; }

is_port() {
  [[ $1 =~ $RE_PORT ]] && ((10#$1 <= 65535))
}

# DNS (53) and DNS over TLS (853) only ever go through the local resolver.
check_port() {
  local where=$1 port=$2
  is_port "$port" || die "policy line $where: invalid port '$port'"
  [[ $port != 53 && $port != 853 ]] || die "policy line $where: port $port (DNS) cannot be allowed"
}

check_cidr() {
  local where=$1 cidr=$2 addr prefix
  [[ $cidr == */* ]] || die "policy line $where: '$cidr' is not a CIDR"
  addr=${cidr%/*}
  prefix=${cidr##*/}
  [[ $prefix =~ ^[1-9][0-9]{0,2}$ ]] || die "policy line $where: invalid prefix length in '$cidr'"
  if is_ip4 "$addr"; then
    ((prefix <= 32)) || die "policy line $where: invalid prefix length in '$cidr'"
  elif is_ip6 "$addr"; then
    ((prefix <= 128)) || die "policy line $where: invalid prefix length in '$cidr'"
  else
    die "policy line $where: invalid address in '$cidr'"
  fi
}

# A verify target: a host name, an IPv4 literal, or an IPv6 literal (bare or in brackets).
check_target() {
  local where=$1 host=$2
  if [[ $host == \[*\] ]]; then
    host=${host:1:-1}
  fi
  is_ip4 "$host" || is_ip6 "$host" || is_host "$host" || die "policy line $where: invalid host '$2'"
}

parse_line() {
  local n=$1
  shift
  local kw=$1
  case "$kw:$#" in
    version:2)
      [[ $2 == 1 ]] || die "policy line $n: unsupported version '$2'"
      ;;
    mode:2)
      [[ -z $MODE ]] || die "policy line $n: mode given twice"
      [[ $2 == enforce || $2 == audit ]] || die "policy line $n: mode must be enforce or audit"
      MODE=$2
      ;;
    ipv6:2)
      [[ -z $IPV6 ]] || die "policy line $n: ipv6 given twice"
      [[ $2 == filter || $2 == block ]] || die "policy line $n: ipv6 must be filter or block"
      IPV6=$2
      ;;
    group:3)
      local port
      [[ $2 =~ $RE_GROUP ]] || die "policy line $n: invalid group id '$2'"
      [[ -z ${GROUP_PORTS[$2]:-} ]] || die "policy line $n: group $2 defined twice"
      [[ $3 =~ ^[0-9]+(,[0-9]+)*$ ]] || die "policy line $n: invalid port list '$3'"
      for port in ${3//,/ }; do
        check_port "$n" "$port"
      done
      GROUP_PORTS[$2]=$3
      ;;
    allow-name:4)
      [[ $2 =~ $RE_GROUP ]] || die "policy line $n: invalid group id '$2'"
      [[ $3 == exact || $3 == subdomains ]] || die "policy line $n: allow-name kind must be exact or subdomains"
      is_host "$4" || die "policy line $n: invalid host '$4'"
      ALLOW_NAMES+=("$2 $3 $4")
      ;;
    allow-net:3)
      [[ $2 =~ $RE_GROUP ]] || die "policy line $n: invalid group id '$2'"
      check_cidr "$n" "$3"
      ALLOW_NETS+=("$2 $3")
      ;;
    deny-name:2)
      is_host "$2" || die "policy line $n: invalid host '$2'"
      DENY_NAMES+=("$2")
      ;;
    answer-lifetime:2)
      [[ -z $ANSWER_LIFETIME ]] || die "policy line $n: answer-lifetime given twice"
      # ipset's own bound for a timeout
      if ! [[ $2 =~ ^[1-9][0-9]{0,6}$ ]] || (($2 > 2147483)); then
        die "policy line $n: answer-lifetime must be 1..2147483 seconds"
      fi
      ANSWER_LIFETIME=$2
      ;;
    dns-log:3)
      [[ -z $DNS_LOG_MAX ]] || die "policy line $n: dns-log given twice"
      if ! [[ $2 =~ ^[1-9][0-9]{3,9}$ && $3 =~ ^[1-9][0-9]?$ ]] || (($2 > 1073741824)); then
        die "policy line $n: dns-log takes a size of 1000..1073741824 bytes and 1..99 rotated files"
      fi
      DNS_LOG_MAX=$2
      DNS_LOG_KEEP=$3
      ;;
    private-answer:2)
      check_cidr "$n" "$2"
      PRIVATE_ANSWERS+=("$2")
      ;;
    host-port:2)
      check_port "$n" "$2"
      HOST_PORTS+=("$2")
      ;;
    verify-allow:3 | verify-deny:3)
      check_target "$n" "$2"
      is_port "$3" || die "policy line $n: invalid port '$3'"
      VERIFY+=("${kw#verify-} $2 $3")
      ;;
    *)
      die "policy line $n: not understood: '$*'"
      ;;
  esac
}

check_groups_defined() {
  local entry
  for entry in "${ALLOW_NAMES[@]}" "${ALLOW_NETS[@]}"; do
    [[ -n ${GROUP_PORTS[${entry%% *}]:-} ]] || die "policy: group ${entry%% *} is used but not defined"
  done
}

read_policy() {
  [[ -f $POLICY && -r $POLICY ]] || die "policy file $POLICY is missing"
  local line n=0 seen_version=0
  local -a fields
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    line=${line%%#*}
    [[ $line =~ ^[\ ]*$ ]] && continue
    [[ $line =~ $RE_LINE ]] || die "policy line $n: unexpected characters"
    read -r -a fields <<<"$line"
    if ((!seen_version)); then
      [[ ${fields[0]} == version ]] || die "policy line $n: the first record must be 'version 1'"
      seen_version=1
    fi
    parse_line "$n" "${fields[@]}"
  done <"$POLICY"
  ((seen_version)) || die "policy file $POLICY is empty"
  [[ -n $MODE ]] || die "policy: no mode record"
  [[ -n $IPV6 ]] || die "policy: no ipv6 record"
  ANSWER_LIFETIME=${ANSWER_LIFETIME:-$DEFAULT_ANSWER_LIFETIME}
  DNS_LOG_MAX=${DNS_LOG_MAX:-$DEFAULT_DNS_LOG_MAX}
  DNS_LOG_KEEP=${DNS_LOG_KEEP:-$DEFAULT_DNS_LOG_KEEP}
  check_groups_defined
}

# ---------------------------------------------------------------------------------------------------------
# Preparation: directories, the resolver's user, the upstream resolvers.
# ---------------------------------------------------------------------------------------------------------

ensure_dns_user() {
  if ! id -u "$DNS_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$DNS_USER"
  fi
  check_dns_user
}

# The resolver's uid is what lets packets reach the upstream DNS server: it must be its own. Refuse when it is
# root's, when another account shares it, or when the caller (sudo's SUDO_UID, which sudo sets itself) has it.
check_dns_user() {
  local dns_uid sharing
  dns_uid=$(id -u "$DNS_USER")
  [[ $dns_uid != 0 ]] || die "the resolver's account $DNS_USER has uid 0; refusing"
  sharing=$(getent passwd | awk -F: -v u="$dns_uid" '$3 == u {print $1}' | paste -sd, -)
  [[ $sharing == "$DNS_USER" ]] ||
    die "accounts $sharing share the resolver's uid $dns_uid: their traffic would pass as the resolver's; refusing"
  [[ ${SUDO_UID:-} != "$dns_uid" ]] ||
    die "the caller has the resolver's uid $dns_uid: the agent must not be $DNS_USER; refusing"
}

prepare_dirs() {
  install -d -m 0755 -o root -g root "$STATE_DIR" "$RUN_DIR" "$LOG_DIR"
  if [[ ! -f $DNS_LOG || -L $DNS_LOG ]]; then
    rm -f "$DNS_LOG"
    : >"$DNS_LOG"
  fi
  chown "$DNS_USER:" "$DNS_LOG"
  chmod 0644 "$DNS_LOG"
}

# The container's original resolv.conf is saved on the first run; later runs (and runs after a restart,
# when /etc/resolv.conf still carries our marker) use the saved copy.
save_original_resolv() {
  if ! grep -qxF "$RESOLV_MARKER" "$RESOLV" 2>/dev/null; then
    [[ -r $RESOLV ]] || die "$RESOLV is missing"
    cp "$RESOLV" "$SAVED_RESOLV.tmp"
    mv -f "$SAVED_RESOLV.tmp" "$SAVED_RESOLV"
  fi
  [[ -s $SAVED_RESOLV ]] || die "$RESOLV was rewritten by an earlier run but $SAVED_RESOLV is missing"
}

read_upstreams() {
  local kw addr _rest
  UPSTREAMS=()
  while read -r kw addr _rest; do
    [[ $kw == nameserver ]] || continue
    addr=${addr%%%*} # a scope (%eth0) is dropped: link-local upstreams are not supported
    addr=${addr,,}
    case "$addr" in
      127.0.0.1 | ::1 | 0.0.0.0 | ::) continue ;; # that is us (or nothing)
    esac
    if is_ip4 "$addr" || is_ip6 "$addr"; then
      UPSTREAMS+=("$addr")
    fi
  done <"$SAVED_RESOLV"
  if ((${#UPSTREAMS[@]} == 0)); then
    NOTES+=("no usable upstream resolver in the container's original resolv.conf: no name resolves")
  fi
}

uses_docker_dns() {
  local u
  for u in "${UPSTREAMS[@]}"; do
    [[ $u == "$DOCKER_DNS" ]] && return 0
  done
  return 1
}

# ---------------------------------------------------------------------------------------------------------
# ipsets: cdv-g<group>-4/-6 (hash:net; static CIDRs plus every DNS answer), cdv-denied-4/-6 (hash:ip,port
# with counters; what was rejected). Built as temporary sets in one `ipset restore`, then swapped in.
# ---------------------------------------------------------------------------------------------------------

# Sorted group ids and the address families in use, computed once after parsing (few processes: this
# runs at every container start).
GROUP_IDS=()
FAMILIES=()

index_groups() {
  mapfile -t GROUP_IDS < <(printf '%s\n' "${!GROUP_PORTS[@]}" | sort -n)
  FAMILIES=(4)
  if [[ $IPV6 == filter ]]; then
    FAMILIES+=(6)
  fi
}

# Ranges no DNS answer may open (DNS rebinding): private, loopback, link-local (169.254.169.254, the cloud
# metadata service), CGNAT, "this network", multicast, reserved, benchmark; for IPv6 also ULA, site-local and
# every form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo), since those can lead to an
# internal IPv4 address. Plus the container's own subnets, whatever their range.
private_ranges() {
  if [[ $1 == 4 ]]; then
    printf '%s\n' 0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24 \
      192.168.0.0/16 198.18.0.0/15 224.0.0.0/4 240.0.0.0/4
  else
    printf '%s\n' ::/127 ::/96 ::ffff:0:0/96 64:ff9b::/96 64:ff9b:1::/48 100::/64 2001::/32 2002::/16 \
      fc00::/7 fec0::/10 fe80::/10 ff00::/8
  fi
  ip "-$1" -o addr show scope global 2>/dev/null | awk '$3 == "inet" || $3 == "inet6" {print $4}'
}

# The allow-net and private-answer ranges of a family: a DNS answer inside them is not refused as private.
exempt_ranges() {
  local fam=$1 entry cidr
  for entry in "${ALLOW_NETS[@]}"; do
    cidr=${entry#* }
    same_family "$fam" "$cidr" && echo "$cidr"
  done
  for cidr in "${PRIVATE_ANSWERS[@]}"; do
    same_family "$fam" "$cidr" && echo "$cidr"
  done
  return 0
}

same_family() {
  [[ ($1 == 4 && $2 != *:*) || ($1 == 6 && $2 == *:*) ]]
}

# A family's private and exempt sets (hash:net; the kernel masks host bits of a subnet), swapped in like the
# group sets.
private_sets_script() {
  local fam=$1 inet=inet kind cidr
  [[ $fam == 6 ]] && inet=inet6
  for kind in "$PRIVATE_PREFIX" "$EXEMPT_PREFIX"; do
    echo "create $kind$fam hash:net family $inet maxelem 65536 -exist"
    echo "create ${SET_PREFIX}t-$kind$fam hash:net family $inet maxelem 65536"
  done
  for cidr in $(private_ranges "$fam"); do
    echo "add ${SET_PREFIX}t-$PRIVATE_PREFIX$fam $cidr -exist"
  done
  for cidr in $(exempt_ranges "$fam"); do
    echo "add ${SET_PREFIX}t-$EXEMPT_PREFIX$fam $cidr -exist"
  done
  for kind in "$PRIVATE_PREFIX" "$EXEMPT_PREFIX"; do
    echo "swap ${SET_PREFIX}t-$kind$fam $kind$fam"
    echo "destroy ${SET_PREFIX}t-$kind$fam"
  done
}

ipset_script() {
  local g fam inet entry cidr
  echo "create $DENIED4 hash:ip,port family inet counters maxelem 65536 -exist"
  echo "create $DENIED6 hash:ip,port family inet6 counters maxelem 65536 -exist"
  echo "create $PRIVDENIED4 hash:ip,port family inet counters maxelem 65536 -exist"
  echo "create $PRIVDENIED6 hash:ip,port family inet6 counters maxelem 65536 -exist"
  for fam in "${FAMILIES[@]}"; do
    private_sets_script "$fam"
  done
  for g in "${GROUP_IDS[@]}"; do
    for fam in "${FAMILIES[@]}"; do
      inet=inet
      [[ $fam == 6 ]] && inet=inet6
      # DNS answers: each entry lives ANSWER_LIFETIME seconds after the last answer that named it (dnsmasq
      # re-adds, which refreshes it). Static ranges have a permanent set of their own, so an answer equal to
      # a static address cannot give it a lifetime.
      echo "create ${SET_PREFIX}g$g-$fam hash:net family $inet timeout $ANSWER_LIFETIME maxelem 262144 -exist"
      echo "create ${SET_PREFIX}s$g-$fam hash:net family $inet maxelem 65536 -exist"
      echo "create ${SET_PREFIX}t-s$g-$fam hash:net family $inet maxelem 65536"
      for entry in "${ALLOW_NETS[@]}"; do
        [[ ${entry%% *} == "$g" ]] || continue
        cidr=${entry#* }
        if [[ $fam == 4 && $cidr != *:* ]] || [[ $fam == 6 && $cidr == *:* ]]; then
          echo "add ${SET_PREFIX}t-s$g-$fam $cidr -exist"
        fi
      done
      echo "swap ${SET_PREFIX}t-s$g-$fam ${SET_PREFIX}s$g-$fam"
      echo "destroy ${SET_PREFIX}t-s$g-$fam"
    done
  done
}

# After the lockdown no rule references our sets, so all of them (leftovers of a killed run, groups that
# are no longer in the policy, DNS answers of the last run) are destroyed and made anew, with this policy's
# lifetime; only the counters of denied destinations are kept. (Lines for `ipset restore`.)
stale_sets_script() {
  local name
  for name in "$@"; do
    [[ $name == "$SET_PREFIX"* && $name != "$DENIED4" && $name != "$DENIED6" ]] || continue
    [[ $name != "$PRIVDENIED4" && $name != "$PRIVDENIED6" ]] || continue
    echo "destroy $name"
  done
}

# One `ipset list -n` and one `ipset restore`, however many entries.
build_sets() {
  local -a existing
  mapfile -t existing < <(ipset list -n) || return 1
  { stale_sets_script "${existing[@]}" && ipset_script; } | ipset restore || return 1
}

# ---------------------------------------------------------------------------------------------------------
# dnsmasq: the only resolver. Forwards allowlisted names only, NXDOMAIN for everything else.
# Matching facts (dnsmasq 2.89/2.90, measured): server=/x/ matches x and every name below it;
# server=/*.x/ matches names strictly below x, not x, and wins over server=/x/ for those names; the longest
# pattern wins. ipset=/x/ matches x and every name below it (no wildcard syntax), longest pattern wins.
# So each host gets both patterns, forwarding or local (NXDOMAIN) as the policy says.
# ---------------------------------------------------------------------------------------------------------

declare -A EXACT_GROUPS=()  # host -> " 0 1"
declare -A SUB_GROUPS=()    # host -> " 0"

denied_name() {
  local host=$1 d
  for d in "${DENY_NAMES[@]}"; do
    [[ $host == "$d" || $host == *".$d" ]] && return 0
  done
  return 1
}

index_names() {
  local entry g kind host
  for entry in "${ALLOW_NAMES[@]}"; do
    read -r g kind host <<<"$entry"
    if denied_name "$host"; then
      NOTES+=("allow-name $host is overridden by a deny-name")
      continue
    fi
    if [[ $kind == exact ]]; then
      EXACT_GROUPS[$host]+=" $g"
    else
      SUB_GROUPS[$host]+=" $g"
    fi
  done
}

# Sets REPLY to the groups of the subdomains rules of the strict ancestors of a host.
ancestor_sub_groups() {
  local host=$1
  REPLY=""
  while [[ $host == *.*.* ]]; do
    host=${host#*.}
    REPLY+=${SUB_GROUPS[$host]:-}
  done
}

# Sets REPLY to the comma-separated sets of the given groups (in group order, each once).
set_list() {
  local g fam
  local -A wanted=()
  for g in $1; do
    wanted[$g]=1
  done
  REPLY=""
  for g in "${GROUP_IDS[@]}"; do
    [[ -n ${wanted[$g]:-} ]] || continue
    for fam in "${FAMILIES[@]}"; do
      REPLY+=${REPLY:+,}${SET_PREFIX}g$g-$fam
    done
  done
}

server_lines() {
  local pattern=$1 forward=$2 u
  if ((forward)) && ((${#UPSTREAMS[@]})); then
    for u in "${UPSTREAMS[@]}"; do
      echo "server=/$pattern/$u"
    done
  else
    echo "server=/$pattern/"
  fi
}

dnsmasq_conf() {
  local host anc apex below d u grp
  cat <<EOF
# generated by $PROG from $POLICY: do not edit
port=53
listen-address=127.0.0.1
EOF
  if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
    echo "listen-address=::1"
  fi
  grp=$(id -gn "$DNS_USER")
  cat <<EOF
bind-interfaces
user=$DNS_USER
group=$grp
pid-file=$DNSMASQ_PID
no-resolv
no-hosts
no-poll
domain-needed
cache-size=0
log-queries
log-async
log-facility=$DNS_LOG
EOF
  if [[ $IPV6 == block ]]; then
    echo "filter-AAAA"
  fi
  if [[ $MODE == audit ]]; then
    for u in "${UPSTREAMS[@]}"; do
      echo "server=$u"
    done
  fi
  for host in $(printf '%s\n' "${!EXACT_GROUPS[@]}" "${!SUB_GROUPS[@]}" | sort -u); do
    ancestor_sub_groups "$host"
    anc=$REPLY
    apex=0
    below=0
    [[ -n ${EXACT_GROUPS[$host]:-} || -n $anc ]] && apex=1
    [[ -n ${SUB_GROUPS[$host]:-} || -n $anc ]] && below=1
    if [[ $MODE == enforce ]]; then
      server_lines "$host" "$apex"
      server_lines "*.$host" "$below"
    fi
    set_list "${EXACT_GROUPS[$host]:-} ${SUB_GROUPS[$host]:-} $anc"
    echo "ipset=/$host/$REPLY"
  done
  if [[ $MODE == enforce ]]; then
    for d in "${DENY_NAMES[@]}"; do
      echo "server=/$d/"
      echo "server=/*.$d/"
    done
    echo "address=/#/"
  fi
}

# Live dnsmasq processes of the resolver's user. Zombies are skipped: without an init process in the
# container nobody reaps a killed dnsmasq, and a zombie holds no socket.
# Where the caller may look (root), only those in this network namespace count: with a shared PID namespace
# another container's resolver is visible too.
resolver_pids() {
  local pid state ns own _
  own=$(readlink /proc/self/ns/net)
  for pid in $(pgrep -u "$DNS_USER" -x dnsmasq || true); do
    read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || continue
    [[ $state == Z || $state == X ]] && continue
    ns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || ns=$own
    [[ $ns == "$own" ]] && echo "$pid"
  done
  return 0
}

stop_dnsmasq() {
  local i signal
  local -a pids
  for ((i = 0; i < 40; i++)); do
    mapfile -t pids < <(resolver_pids)
    ((${#pids[@]})) || break
    signal=TERM
    ((i < 20)) || signal=KILL
    kill "-$signal" "${pids[@]}" 2>/dev/null || true
    sleep 0.05
  done
  [[ -z $(resolver_pids) ]] || die "the previous dnsmasq does not stop"
  rm -f "$DNSMASQ_PID"
}

start_dnsmasq() {
  index_names
  dnsmasq_conf >"$DNSMASQ_CONF.tmp"
  mv -f "$DNSMASQ_CONF.tmp" "$DNSMASQ_CONF"
  dnsmasq --test --conf-file="$DNSMASQ_CONF" >/dev/null 2>&1 ||
    die "dnsmasq rejects the generated configuration $DNSMASQ_CONF"
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
  local pid="" state _
  [[ -r $ROTATOR_PID ]] && read -r pid <"$ROTATOR_PID"
  [[ $pid =~ ^[1-9][0-9]*$ && -r /proc/$pid/stat ]] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || return 1
  [[ $state != Z && $state != X && $(stat -c %u "/proc/$pid") == 0 ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q " rotate-dns-log " || return 1
  echo "$pid"
}

start_rotator() {
  local old
  if old=$(rotator_pid); then
    kill -TERM "$old" 2>/dev/null || true
  fi
  rm -f "$ROTATOR_PID"
  # A new session, no terminal, none of our descriptors (the run lock above all), a clean environment.
  env -i PATH="$PATH" setsid "/usr/local/sbin/$PROG" rotate-dns-log </dev/null >/dev/null 2>&1 9>&- &
  # $! is the rotator itself: env and setsid exec (a background child never leads its process group, so
  # setsid does not fork).
  echo "$!" >"$ROTATOR_PID.tmp"
  mv -f "$ROTATOR_PID.tmp" "$ROTATOR_PID"
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
  # shellcheck disable=SC2046 # a list of pids
  kill -USR2 $(resolver_pids) 2>/dev/null || true
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
  [[ $(id -u) == 0 ]] || usage_error "rotate-dns-log needs root (the firewall's apply starts it)"
  read_policy
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
  local tmp
  tmp=$(mktemp "$RUN_DIR/resolv.XXXXXX")
  {
    echo "$RESOLV_MARKER"
    echo "nameserver 127.0.0.1"
    grep -E '^(search|options)[[:space:]]' "$SAVED_RESOLV" || true
  } >"$tmp"
  # /etc/resolv.conf is usually a bind mount: rewrite it in place.
  cat "$tmp" >"$RESOLV"
  rm -f "$tmp"
}

# ---------------------------------------------------------------------------------------------------------
# Final filter tables.
# ---------------------------------------------------------------------------------------------------------

gateways() {
  local fam=$1
  ip "-$fam" route show default 2>/dev/null | awk '$1 == "default" && $2 == "via" {print $3}'
  awk -v fam="$fam" '$2 == "host.docker.internal" && ((fam == 6) == ($1 ~ /:/)) {print $1}' /etc/hosts
}

multiport_chunks() {
  # multiport takes at most 15 ports per rule.
  local ports=$1 i=0 chunk=""
  local p
  for p in ${ports//,/ }; do
    chunk+=${chunk:+,}$p
    i=$((i + 1))
    if ((i == 15)); then
      echo "$chunk"
      chunk=""
      i=0
    fi
  done
  [[ -z $chunk ]] || echo "$chunk"
}

# Rules shared by both families; $1 is 4 or 6.
filter_table() {
  local fam=$1 tcp_reject udp_reject other_reject denied privdenied u g t chunk gw port
  if [[ $fam == 4 ]]; then
    udp_reject=icmp-port-unreachable
    other_reject=icmp-admin-prohibited
    denied=$DENIED4
    privdenied=$PRIVDENIED4
  else
    udp_reject=icmp6-port-unreachable
    other_reject=icmp6-adm-prohibited
    denied=$DENIED6
    privdenied=$PRIVDENIED6
  fi
  tcp_reject=tcp-reset
  echo "*filter"
  echo ":INPUT DROP [0:0]"
  echo ":FORWARD DROP [0:0]"
  echo ":OUTPUT DROP [0:0]"
  echo ":CDV-DENY - [0:0]"
  echo ":CDV-PRIVATE - [0:0]"
  echo ":CDV-DNS-SRC - [0:0]"
  echo ":CDV-ALLOW - [0:0]"
  echo "-A INPUT -i lo -j ACCEPT"
  echo "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT"
  if [[ $fam == 6 && $IPV6 == filter ]]; then
    # Neighbour discovery (hop limit 255) and multicast listener queries.
    for t in 133 134 135 136 137; do
      echo "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type $t -m hl --hl-eq 255 -j ACCEPT"
    done
    echo "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130 -m hl --hl-eq 1 -j ACCEPT"
  fi
  if [[ $fam == 6 && $IPV6 == filter ]]; then
    # Duplicate address detection and early multicast listener reports come from the unspecified address.
    for t in 135 143; do
      echo "-A OUTPUT -s ::/128 -p ipv6-icmp -m icmp6 --icmpv6-type $t -j ACCEPT"
    done
  fi
  # No packet leaves with a source address that is not one of ours. An unprivileged user can send IPv6
  # from any address (IPV6_FREEBIND); over loopback, a forged reply from an upstream resolver would be
  # ESTABLISHED, reach dnsmasq and add the forger's addresses to the allow sets. Dropped, not rejected
  # (a REJECT would send the packet back out to the forged address), in audit mode too. RELATED is the
  # kernel's own: our REJECTs' TCP resets, sent from the rejected destination's address.
  echo "-A OUTPUT -m addrtype ! --src-type LOCAL -m conntrack ! --ctstate RELATED -j DROP"
  if [[ $fam == 4 ]]; then
    # Docker's embedded resolver: its nat rules DNAT 127.0.0.11:53 to a random port, so match the address.
    if uses_docker_dns; then
      echo "-A OUTPUT -d $DOCKER_DNS/32 -m owner --uid-owner $DNS_USER -j ACCEPT"
    fi
    echo "-A OUTPUT -d $DOCKER_DNS/32 -j CDV-DENY"
  fi
  dns_source_guard with-resolver
  echo "-A OUTPUT -o lo -j ACCEPT"
  echo "-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -m connmark --mark $ALLOWED_MARK -j ACCEPT"
  if [[ $fam == 6 && $IPV6 == block ]]; then
    echo "-A OUTPUT -j CDV-DENY"
  else
    if [[ $fam == 6 ]]; then
      for t in 133 135 136; do
        echo "-A OUTPUT -p ipv6-icmp -m icmp6 --icmpv6-type $t -m hl --hl-eq 255 -j ACCEPT"
      done
      for t in 131 132 143; do
        echo "-A OUTPUT -p ipv6-icmp -m icmp6 --icmpv6-type $t -m hl --hl-eq 1 -j ACCEPT"
      done
    fi
    for u in "${UPSTREAMS[@]}"; do
      [[ $u == "$DOCKER_DNS" ]] && continue
      if [[ ($fam == 4 && $u != *:*) || ($fam == 6 && $u == *:*) ]]; then
        echo "-A OUTPUT -d $u -p udp -m udp --dport 53 -m owner --uid-owner $DNS_USER -j CDV-ALLOW"
        echo "-A OUTPUT -d $u -p tcp -m tcp --dport 53 -m owner --uid-owner $DNS_USER -j CDV-ALLOW"
      fi
    done
    if uses_docker_dns; then
      # Docker's embedded resolver forwards names it does not know from inside this network namespace, as
      # root (the daemon). Root owns this firewall anyway; the agent cannot create root-owned sockets.
      echo "-A OUTPUT ! -o lo -p udp -m udp --dport 53 -m owner --uid-owner 0 -j CDV-ALLOW"
      echo "-A OUTPUT ! -o lo -p tcp -m tcp --dport 53 -m owner --uid-owner 0 -j CDV-ALLOW"
    fi
    echo "-A OUTPUT -p udp -m multiport --dports 53,853 -j CDV-DENY"
    echo "-A OUTPUT -p tcp -m multiport --dports 53,853 -j CDV-DENY"
    for gw in $(gateways "$fam" | sort -u); do
      for port in "${HOST_PORTS[@]}"; do
        echo "-A OUTPUT -d $gw -p tcp -m tcp --dport $port -j CDV-ALLOW"
      done
    done
    # Before the allow sets: an internal address is not opened by a DNS answer (DNS rebinding) unless the
    # policy names its range (allow-net, private-answer); the host access above is the descriptor's own grant.
    echo "-A OUTPUT -m set --match-set $PRIVATE_PREFIX$fam dst -m set ! --match-set $EXEMPT_PREFIX$fam dst -j CDV-PRIVATE"
    for g in "${GROUP_IDS[@]}"; do
      for chunk in $(multiport_chunks "${GROUP_PORTS[$g]}"); do
        echo "-A OUTPUT -p tcp -m set --match-set ${SET_PREFIX}s$g-$fam dst -m multiport --dports $chunk -j CDV-ALLOW"
        echo "-A OUTPUT -p tcp -m set --match-set ${SET_PREFIX}g$g-$fam dst -m multiport --dports $chunk -j CDV-ALLOW"
      done
    done
    echo "-A OUTPUT -j CDV-DENY"
  fi
  # What the policy lets out is marked on its connection: only marked connections' later packets (and their
  # replies) pass as ESTABLISHED, so a connection opened before the lockdown (in the first milliseconds of a
  # start, or while the tables were open) dies at the lockdown instead of living on. (A connection the kernel
  # picks up again mid-stream is NEW to these rules and judged like any other.)
  echo "-A CDV-ALLOW -j CONNMARK --or-mark ${ALLOWED_MARK%/*}"
  echo "-A CDV-ALLOW -j ACCEPT"
  # Record what is denied (destination, protocol and port) and count its packets, then reject it at once.
  # A known destination is counted by the match; a new one is added with a count of 1. (Re-adding an
  # existing entry would reset its counters.)
  # A refused internal destination is recorded apart (for audit: a private-answer candidate), then denied.
  echo "-A CDV-PRIVATE -m set --match-set $privdenied dst,dst"
  echo "-A CDV-PRIVATE -m set ! --match-set $privdenied dst,dst ! --update-counters -j SET --add-set $privdenied dst,dst"
  echo "-A CDV-PRIVATE -j CDV-DENY"
  echo "-A CDV-DENY -m set --match-set $denied dst,dst"
  echo "-A CDV-DENY -m set ! --match-set $denied dst,dst ! --update-counters -j SET --add-set $denied dst,dst"
  if [[ $MODE == audit && ($fam == 4 || $IPV6 == filter) ]]; then
    echo "-A CDV-DENY -j CDV-ALLOW"
  else
    echo "-A CDV-DENY -p tcp -j REJECT --reject-with $tcp_reject"
    echo "-A CDV-DENY -p udp -j REJECT --reject-with $udp_reject"
    echo "-A CDV-DENY -j REJECT --reject-with $other_reject"
  fi
  echo "COMMIT"
}

apply_tables() {
  filter_table 4 | iptables-restore -w 10 || return 1
  if ((V6_ENABLED)); then
    filter_table 6 | ip6tables-restore -w 10 || return 1
  else
    filter_table 6 | ip6tables-restore -w 10 2>/dev/null || true
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
  timeout "$PROBE_TIMEOUT" env -i PATH="$PATH" LC_ALL=C setpriv --reuid=65534 --regid=65534 --clear-groups -- \
    bash -p -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$host" "$port" 2>/dev/null
}

policies_drop() {
  local cmd=$1 out
  out=$("$cmd" -w 10 -S 2>/dev/null) || return 1
  grep -qx -- '-P INPUT DROP' <<<"$out" &&
    grep -qx -- '-P FORWARD DROP' <<<"$out" &&
    grep -qx -- '-P OUTPUT DROP' <<<"$out"
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

# A digest of a family's filter rules as the kernel lists them (no counters): what apply loaded, or not.
rules_digest() {
  local out
  out=$("$1" -w 10 -S 2>/dev/null) || return 0
  sha256sum <<<"$out" | cut -d' ' -f1
}

# Returns 0 when everything holds; 1 when an allowed target fails (the policy stays); 2 when the policy is
# not in force or a denied target is reachable (the caller locks down).
self_test() {
  local entry what host port target rc=0
  if policies_drop iptables && { ((!V6_ENABLED)) || policies_drop ip6tables; }; then
    CHECKS+=("policy DROP ok")
  else
    CHECKS+=("policy DROP FAILED")
    rc=2
  fi
  if [[ -n $(resolver_pids) ]]; then
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
  printf 'groups=%s\n' "${#GROUP_PORTS[@]}"
  printf 'allowed_names=%s\n' "${#ALLOW_NAMES[@]}"
  printf 'allowed_nets=%s\n' "${#ALLOW_NETS[@]}"
  printf 'denied_names=%s\n' "${#DENY_NAMES[@]}"
  printf 'host_ports=%s\n' "${HOST_PORTS[*]:-}"
}

write_state() {
  local result=$1 c n tmp
  install -d -m 0755 "$STATE_DIR"
  tmp=$(mktemp "$STATE_DIR/status.XXXXXX")
  {
    echo "# $PROG state: key=value, one per line"
    echo "result=$result"
    echo "applied=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "mode=${MODE:-unknown}"
    echo "ipv6=${IPV6:-unknown}"
    echo "upstream=${UPSTREAMS[*]:-}"
    echo "start=$(start_id)"
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
  chmod 0644 "$tmp"
  mv -f "$tmp" "$STATE_FILE"
}

# The sets whose contents never change after an apply: static ranges, private and exempt ranges.
is_fixed_set() {
  [[ $1 == "${SET_PREFIX}s"[0-9]* || $1 == "$PRIVATE_PREFIX"* || $1 == "$EXEMPT_PREFIX"* ]]
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
    sort | sha256sum | cut -d' ' -f1
}

# What status compares the kernel's state with later.
record_loaded() {
  local g fam
  RULES4=$(rules_digest iptables)
  if ((V6_ENABLED)); then
    RULES6=$(rules_digest ip6tables)
  fi
  SETS=""
  for g in "${GROUP_IDS[@]}"; do
    for fam in "${FAMILIES[@]}"; do
      SETS+=${SETS:+ }${SET_PREFIX}g$g-$fam
      SETS+=" ${SET_PREFIX}s$g-$fam"
    done
  done
  for fam in "${FAMILIES[@]}"; do
    SETS+=" $PRIVATE_PREFIX$fam $EXEMPT_PREFIX$fam"
  done
  # shellcheck disable=SC2086 # a list of set names
  FIXED_SETS=$(fixed_sets_digest $SETS)
}

# The marker `wait` looks for: the policy is in force for this container start.
write_ready() {
  local tmp
  tmp=$(mktemp "$STATE_DIR/ready.XXXXXX")
  printf 'start=%s\n' "$(start_id)" >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$READY_FILE"
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
  [[ $(id -u) == 0 ]] || usage_error "applying the firewall needs root: sudo /usr/local/sbin/$PROG"
  install -d -m 0755 -o root -g root "$RUN_DIR"
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
  rm -f "$READY_FILE"
  detect_v6
  lockdown || die "cannot apply the lockdown tables (does the container have NET_ADMIN?)"
  CLOSED=yes
  log "lockdown in place (default deny)"
  read_policy
  index_groups
  ensure_dns_user
  prepare_dirs
  save_original_resolv
  read_upstreams
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
      log "applied: mode $MODE, ipv6 $IPV6, ${#ALLOW_NAMES[@]} names, ${#ALLOW_NETS[@]} networks; self-test passed"
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
  if [[ $(id -u) != 0 ]]; then
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
  if [[ -n $(resolver_pids) ]]; then
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
  if [[ $(id -u) != 0 ]]; then
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
  # shellcheck disable=SC2086 # a list of set names
  [[ $(fixed_sets_digest ${STATE[sets]:-}) == "${STATE[fixed_sets]:-}" ]] ||
    PROBLEMS+=("the static, private or exempt sets differ from the ones the firewall loaded")
}

# Prints whether the policy is in force now (result=ok|failed|not-in-force|unverified|never-applied, and a
# problem= line for each thing that does not hold), then the last run's record. Exits 0 only for result=ok.
# The user gets the kernel check through the exact sudo entry for `status`.
status() {
  if [[ $(id -u) != 0 ]] && sudo -n -l "/usr/local/sbin/$PROG" status >/dev/null 2>&1; then
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
    elif [[ $(id -u) != 0 ]]; then
      result=unverified
    fi
  fi
  echo "result=$result"
  for p in "${PROBLEMS[@]}"; do
    echo "problem=$p"
  done
  grep -v -e '^#' -e '^result=' "$STATE_FILE"
  printf '%s\n' "${LIVE[@]}"
  if [[ $(id -u) == 0 ]]; then
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
    if [[ -r $STATE_FILE ]] && grep -qxF "start=$id" "$STATE_FILE" && grep -qx 'result=failed' "$STATE_FILE"; then
      grep -E '^(error|check)=' "$STATE_FILE" >&2 || true
      log "FAILED at this container start; outbound traffic stays blocked (docker logs has the details)"
      return 1
    fi
    sleep 0.1
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
    1:rotate-dns-log) rotate_dns_log ;;
    1:-h | 1:--help) echo "$USAGE" ;;
    *) usage_error "unexpected arguments (the policy comes from $POLICY only)" ;;
  esac
}

main "$@"
