#!/bin/bash -p
# claude-devc-entrypoint: the image's ENTRYPOINT. At every container start — `devcontainer up`, VS Code,
# `docker start`/`restart`, a plain `docker run`, a restart policy — it applies the firewall before the
# container's command runs, then execs that command (by default the image's CMD, which idles).
#
# Usage: claude-devc-entrypoint [COMMAND [ARG...]]
#
# It runs as the image's user and gets root for the apply only through the exact sudoers entry (root runs the
# firewall directly). The apply runs with an empty environment. When the firewall fails but left the container
# closed (its lockdown tables in place), the command still runs so the failure can be looked at, and
# `claude-devc-firewall wait` (postStartCommand) fails; when not even the lockdown could be installed (no
# NET_ADMIN, say), this exits non-zero and the container stops.
set -euo pipefail

readonly PROG=claude-devc-entrypoint
readonly FIREWALL=/usr/local/sbin/claude-devc-firewall
readonly STATE_FILE=/var/lib/claude-devc/status
readonly SAFE_PATH=/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

apply_firewall() {
  if [[ $(id -u) == 0 ]]; then
    env -i PATH="$SAFE_PATH" "$FIREWALL"
  else
    env -i PATH="$SAFE_PATH" /usr/bin/sudo -n "$FIREWALL"
  fi
}

# Whether the firewall's own record says this start's failed run left the network closed.
closed_after_failure() {
  local start
  start=$(env -i PATH="$SAFE_PATH" "$FIREWALL" start-id) || return 1
  [[ -r $STATE_FILE ]] && grep -qxF "start=$start" "$STATE_FILE" && grep -qx 'closed=yes' "$STATE_FILE"
}

main() {
  if ! apply_firewall; then
    if closed_after_failure; then
      log "the firewall failed at this start; outbound traffic stays blocked (default deny)." \
        "The container keeps running so you can look: $FIREWALL status"
    else
      log "the firewall could not even block outbound traffic (does the container have NET_ADMIN and NET_RAW?);" \
        "refusing to run the container open"
      exit 1
    fi
  fi
  if (($# == 0)); then
    set -- sleep infinity
  fi
  exec "$@"
}

main "$@"
