#!/bin/bash -p
# claude-devc-denials: what the dev container firewall blocked, one line each, for the agent and the person:
#   blocked by the dev container firewall: HOST — ask to add it to claude-devc.yaml
#
# Usage: claude-devc-denials [--recent N | --since SECONDS] [--hook EVENT]
#   --recent N       the N most recent denials (default 10)
#   --since SECONDS  the denials of the last SECONDS seconds
#   --hook EVENT     for a Claude Code hook: the denials of the last 60 s (or --since) as the hook's JSON output
#                    (hookSpecificOutput.additionalContext for EVENT), nothing when there are none
#
# It reads only the firewall's own record, never anything the agent's user can write: the resolver's log of the
# names it refused (/var/log/claude-devc/dns.log, written by the resolver's user, in a root-owned folder) and the
# kernel's sets of rejected connections (through the exact sudo entry `claude-devc-firewall denials`). Names and
# addresses are checked against tight patterns before they are printed.
set -euo pipefail
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

readonly PROG=claude-devc-denials
readonly FIREWALL=/usr/local/sbin/claude-devc-firewall
readonly DNS_LOG=/var/log/claude-devc/dns.log
readonly SCAN_LINES=20000
readonly RE_NAME='^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$'
readonly RE_ADDR='^[0-9a-f.:]{2,39}$'
readonly USAGE="usage: $PROG [--recent N | --since SECONDS] [--hook EVENT]"

usage_error() {
  printf '%s: %s\n%s\n' "$PROG" "$1" "$USAGE" >&2
  exit 2
}

RECENT=""
SINCE=""
HOOK=""
while (($#)); do
  case $1 in
    --recent) [[ ${2:-} =~ ^[1-9][0-9]{0,3}$ ]] || usage_error "--recent takes a number 1..9999"; RECENT=$2; shift 2 ;;
    --since) [[ ${2:-} =~ ^[1-9][0-9]{0,6}$ ]] || usage_error "--since takes seconds"; SINCE=$2; shift 2 ;;
    --hook) [[ ${2:-} =~ ^[A-Za-z]{1,40}$ ]] || usage_error "--hook takes a hook event name"; HOOK=$2; shift 2 ;;
    -h | --help) echo "$USAGE"; exit 0 ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
done
if [[ -n $HOOK ]]; then
  cat >/dev/null || true   # the hook's input is not needed
  SINCE=${SINCE:-60}
fi
if [[ -z $RECENT ]]; then
  if [[ -n $SINCE ]]; then RECENT=9999; else RECENT=10; fi
fi

# "<epoch> <what>" for each refused name (its last refusal) and each rejected connection.
records() {
  local files=() f
  for f in "$DNS_LOG.1" "$DNS_LOG"; do
    [[ -f $f && -r $f ]] && files+=("$f")
  done
  if ((${#files[@]})); then
    # dnsmasq: "<Mon> <day> <hh:mm:ss> dnsmasq[<pid>]: config <name> is NXDOMAIN" — refused by the policy.
    cat "${files[@]}" | tail -n "$SCAN_LINES" \
      | awk '$4 ~ /^dnsmasq\[[0-9]+\]:$/ && $5 == "config" && $7 == "is" && $8 == "NXDOMAIN" && NF == 8 {
               last[tolower($6)] = $1 " " $2 " " $3 } END { for (n in last) print n "\t" last[n] }' \
      | while IFS=$'\t' read -r name stamp; do
          [[ ${#name} -le 253 && $name =~ $RE_NAME ]] || continue
          epoch=$(date -d "$stamp" +%s 2>/dev/null) || continue
          # A log line has no year: a stamp "in the future" is from last year.
          if ((epoch > $(date +%s) + 86400)); then epoch=$(date -d "$stamp last year" +%s); fi
          echo "$epoch $name"
        done
  fi
  local line entry addr proto port last
  sudo -n "$FIREWALL" denials 2>/dev/null | while read -r line; do
    [[ $line =~ ^denied\ ([^ ]+)\ packets=[0-9]+\ last=([0-9]+)$ ]] || continue
    entry=${BASH_REMATCH[1]}
    last=${BASH_REMATCH[2]}
    addr=${entry%,*}
    proto=${entry##*,}
    port=${proto##*:}
    proto=${proto%%:*}
    [[ $addr =~ $RE_ADDR && $proto =~ ^[a-z0-9-]{1,16}$ && $port =~ ^[0-9]{1,5}$ ]] || continue
    if [[ $proto == tcp || $proto == udp ]]; then
      echo "$last $addr port $port/$proto"
    else
      echo "$last $addr ($proto)"
    fi
  done
}

lines() {
  local now cutoff
  now=$(date +%s)
  cutoff=0
  [[ -n $SINCE ]] && cutoff=$((now - SINCE))
  records | sort -n -k1,1 | awk -v cutoff="$cutoff" '$1 >= cutoff' | tail -n "$RECENT" \
    | while read -r _ what; do
        echo "blocked by the dev container firewall: $what — ask to add it to claude-devc.yaml"
      done
}

if [[ -z $HOOK ]]; then
  lines
  exit 0
fi
text=$(lines)
[[ -n $text ]] || exit 0
# The lines hold only checked names and addresses and fixed words: nothing to escape but the line breaks.
printf '{"hookSpecificOutput":{"hookEventName":"%s","additionalContext":"%s"}}\n' "$HOOK" \
  "The dev container firewall blocked these recently; a blocked host is not a typo or an outage, and retrying will not help:\\n${text//$'\n'/\\n}"
