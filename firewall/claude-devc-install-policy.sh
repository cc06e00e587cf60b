#!/bin/bash -p
# claude-devc-install-policy: makes the policy files `claude-devc apply` staged the live policy of this running
# container, then applies the firewall with them. Only root runs it, from outside the container (`claude-devc
# apply` through the engine's exec as uid 0): it is in no sudoers entry, so the agent's user cannot run it as root,
# and the staging folder is root's alone.
#
# Usage: claude-devc-install-policy prepare   make the staging folder anew, empty (root 0700)
#        claude-devc-install-policy apply     check the staged files, install them, apply the firewall
#
# Staged files live under the staging folder at their path in the image (etc/claude-devc/policy.conf) and may only
# replace files directly in the policy's folders (/etc/claude-devc, /etc/claude-code). Every staged entry must be
# root-owned and writable by root alone, a folder or a regular file with one link; anything else is refused before
# a file is touched. The staged files become the live ones only if the firewall applies them: otherwise the
# previous files are put back (a restart applies those) and the container stays closed (the firewall's own
# failure path: its lockdown, or its default-deny tables).
#
# Exit codes: 0 applied; 2 usage (or not root); 3 refused: nothing was installed, the firewall is as it was;
# 4 the firewall failed with the staged files: the previous files are back and the network is closed (closed=yes
# in its status); 5 the same, but the firewall does not record the network as closed, or the previous files could
# not be put back (the caller stops the container: its next start must not load a mixed set).
set -euo pipefail
# -p: bash reads no BASH_ENV and imports no functions from the environment.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
IFS=$' \t\n'
export PATH LC_ALL
umask 077

readonly PROG=claude-devc-install-policy
readonly FIREWALL=/usr/local/sbin/claude-devc-firewall
readonly STATE_DIR=/var/lib/claude-devc
readonly STAGING=$STATE_DIR/staging
readonly PREVIOUS=$STATE_DIR/previous
readonly STATE_FILE=$STATE_DIR/status
readonly RUN_DIR=/run/claude-devc
# The firewall's run lock (firewall/README.md, "Runtime layout"): held while files are swapped, so no apply (the
# user's sudo one included) reads a half-installed set.
readonly LOCK_FILE=$RUN_DIR/apply.lock
readonly RE_TARGET='^etc/(claude-devc|claude-code)/[A-Za-z0-9_][A-Za-z0-9_.-]*$'
readonly USAGE="usage: $PROG prepare|apply   (root, from outside the container: claude-devc apply)"

STAGED=()   # relative paths of the staged files, checked

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

refuse() {
  log "refused: $*; nothing was installed"
  exit 3
}

# A folder root owns, that only root may write, and that is not a symbolic link.
root_folder() {
  [[ -d $1 && ! -L $1 ]] || return 1
  local owner mode
  read -r owner mode < <(stat -c '%u %a' "$1")
  [[ $owner == 0 ]] && (((8#$mode & 8#022) == 0))
}

prepare() {
  install -d -m 0755 -o root -g root "$STATE_DIR"
  root_folder "$STATE_DIR" || refuse "$STATE_DIR is not a root-owned folder only root may write"
  rm -rf -- "$STAGING"
  install -d -m 0700 -o root -g root "$STAGING"
}

# Every staged entry, in one pass: type, owner, mode, links, path.
check_staged() {
  root_folder "$STATE_DIR" || refuse "$STATE_DIR is not a root-owned folder only root may write"
  root_folder "$STAGING" || refuse "$STAGING is not a root-owned folder only root may write (run prepare first)"
  [[ $(stat -c '%a' "$STAGING") == 700 ]] || refuse "$STAGING is not mode 0700"
  local type owner mode links path
  while IFS=' ' read -r type owner mode links path; do
    [[ $owner == 0 ]] || refuse "$path is not root's (uid $owner)"
    (((8#$mode & 8#022) == 0)) || refuse "$path may be written by others than root (mode $mode)"
    case $type in
      d) ;;
      f)
        [[ $links == 1 ]] || refuse "$path has $links links"
        [[ $path =~ $RE_TARGET ]] || refuse "$path is not a file of the policy's folders"
        root_folder "/${path%/*}" || refuse "/${path%/*} is not a root-owned folder only root may write"
        [[ ! -L /$path && (! -e /$path || -f /$path) ]] || refuse "/$path is not a regular file"
        STAGED+=("$path")
        ;;
      *) refuse "$path is neither a folder nor a regular file" ;;
    esac
  done < <(find "$STAGING" -mindepth 1 -printf '%y %U %m %n %P\n')
  ((${#STAGED[@]})) || refuse "nothing is staged in $STAGING"
  # Sorted, so the order files are swapped in is the same at every run (the paths have no newlines: RE_TARGET).
  mapfile -t STAGED < <(printf '%s\n' "${STAGED[@]}" | sort)
}

lock() {
  install -d -m 0755 -o root -g root "$RUN_DIR"
  exec 9>>"$LOCK_FILE"
  flock -w 60 9 || { log "another firewall run holds $LOCK_FILE"; exit 3; }
}

unlock() { exec 9>&-; }

# Keeps the live files in $PREVIOUS (callers test the result: every step returns its failure itself).
save_previous() {
  local path
  rm -rf -- "$PREVIOUS" || return 1
  install -d -m 0700 -o root -g root "$PREVIOUS" || return 1
  for path in "${STAGED[@]}"; do
    if [[ -f /$path ]]; then
      install -D -m 0644 -o root -g root "/$path" "$PREVIOUS/$path" || return 1
    fi
  done
}

# Replaces each file by its staged version, each with a rename (callers test the result).
install_staged() {
  local path
  for path in "${STAGED[@]}"; do
    install -m 0644 -o root -g root "$STAGING/$path" "/$path.claude-devc-new" || return 1
    mv -f "/$path.claude-devc-new" "/$path" || return 1
  done
}

# Puts the previous files back (removing the staged ones that had none), each with a rename.
restore_previous() {
  local path
  for path in "${STAGED[@]}"; do
    rm -f -- "/$path.claude-devc-new"
    if [[ -f $PREVIOUS/$path ]]; then
      install -m 0644 -o root -g root "$PREVIOUS/$path" "/$path.claude-devc-old" &&
        mv -f "/$path.claude-devc-old" "/$path" || return 1
    else
      rm -f -- "/$path" || return 1
    fi
  done
}

apply() {
  check_staged
  lock
  save_previous || refuse "cannot keep the live files in $PREVIOUS"
  if ! install_staged; then
    # A full disk, say: the live files go back before anything reads them.
    restore_previous || { log "FAILED: cannot put the previous files back from $PREVIOUS"; exit 5; }
    refuse "cannot install the staged files (the previous ones are back)"
  fi
  unlock
  log "installed ${STAGED[*]/#//}; applying the firewall"
  if env -i PATH="$PATH" "$FIREWALL"; then
    rm -rf -- "$STAGING" "$PREVIOUS"
    log "applied"
    return 0
  fi
  lock
  restore_previous || { log "FAILED: the firewall refused the staged policy, and the previous files cannot be put back"; exit 5; }
  unlock
  rm -rf -- "$STAGING"
  if [[ -f $STATE_FILE ]] && grep -qx 'closed=yes' "$STATE_FILE"; then
    log "FAILED: the firewall refused the staged policy; the previous files are back, and outbound traffic stays" \
      "blocked until the next successful apply or a restart (which applies the previous policy)"
    exit 4
  fi
  log "FAILED: the firewall refused the staged policy and does not record the network as closed"
  exit 5
}

main() {
  (($# == 1)) || { printf '%s\n' "$USAGE" >&2; exit 2; }
  [[ $(id -u) == 0 ]] || { log "only root runs this, from outside the container (claude-devc apply)"; exit 2; }
  case $1 in
    prepare) prepare ;;
    apply) apply ;;
    *) printf '%s\n' "$USAGE" >&2; exit 2 ;;
  esac
}

main "$@"
