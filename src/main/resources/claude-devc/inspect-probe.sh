# claude-devc inspect's probe: run as root in a dev container, with `env -i` and a fixed PATH, as
#   /bin/sh -c "$(cat inspect-probe.sh)" sh DANGEROUS_GIT_KEYS PROTECTED_PATH...
# It reads what the agent's user (the owner of PID 1) can reach besides the network and prints one fact per line,
# tab-separated: KIND, then fields. It changes nothing and prints no secret (variable names only, never values).
set -u
dangerous=$1
shift

clean() { printf '%s' "$1" | tr -c '[:print:]' '?'; }
emit() {
  kind=$1
  shift
  printf '%s' "$kind"
  for f in "$@"; do printf '\t%s' "$(clean "$f")"; done
  printf '\n'
}

agent=$(stat -c %U /proc/1 2>/dev/null || echo root)
uid=$(id -u "$agent" 2>/dev/null || echo 0)
home=$(getent passwd "$agent" | cut -d: -f6)
as_agent() { if [ "$uid" = 0 ]; then "$@"; else runuser -u "$agent" -- "$@"; fi; }
emit agent "$agent" "$uid"

# Protected paths: can the agent write them, or create them where they do not exist?
for p in "$@"; do
  if [ -e "$p" ] || [ -L "$p" ]; then
    if as_agent test -w "$p"; then state=writable; else state=read-only; fi
  else
    if as_agent test -w "$(dirname "$p")"; then state=creatable; else state=absent; fi
  fi
  emit protected "$p" "$state"
done

# Mounts: target, source root, rw/ro, file system type.
awk '{ fs = ""; for (i = 7; i <= NF; i++) if ($i == "-") { fs = $(i + 1); break }
       split($6, o, ","); printf "mount\t%s\t%s\t%s\t%s\n", $5, $4, o[1], fs }' /proc/self/mountinfo

# Capabilities of the agent's processes.
as_agent grep -E '^(CapBnd|CapEff|NoNewPrivs):' /proc/self/status | while IFS= read -r line; do
  emit cap "${line%%:*}" "$(printf '%s' "${line#*:}" | tr -d '[:space:]')"
done

# Sockets, and whether the agent may connect to them.
find /tmp /run /var/run /home /root -maxdepth 5 -type s 2>/dev/null | sort -u | while IFS= read -r s; do
  if as_agent test -w "$s"; then reach=yes; else reach=no; fi
  emit socket "$s" "$reach"
done

# Git credential helpers the agent's git would use (system and the agent's global config), and Docker's.
for scope in system global; do
  as_agent env HOME="$home" git config "--$scope" --get-regexp '^credential\.' 2>/dev/null | while IFS= read -r kv; do
    key=${kv%% *}
    case "$kv" in *vscode*|*remote-containers*|*git-credential-helper*) origin=ide ;; *) origin=other ;; esac
    emit credential "$scope" "$key" "$origin"
  done
done
if [ -n "$home" ] && [ -f "$home/.docker/config.json" ] && grep -qE '"(credsStore|credHelpers)"' "$home/.docker/config.json"; then
  if grep -q 'dev-containers' "$home/.docker/config.json"; then origin=ide; else origin=other; fi
  emit dockercred "$home/.docker/config.json" "$origin"
fi

# Environment variable names of the agent's processes, read as the agent (as the agent could; root lacks
# CAP_SYS_PTRACE here). Values are never printed; only whether one is set.
for e in /proc/[0-9]*/environ; do
  pid=${e#/proc/}
  pid=${pid%/environ}
  [ "$(stat -c %u "/proc/$pid" 2>/dev/null)" = "$uid" ] || continue
  as_agent cat "$e" 2>/dev/null | tr '\0' '\n' | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=\(.\{0,1\}\).*/\1 \2/p'
done | sort -u | while read -r name first; do
  if [ -n "${first:-}" ]; then emit env "$name" set; else emit env "$name" empty; fi
done

# Redirects mounts cannot prevent: a commondir or gitdir in the repository, nested repositories.
for d in /workspace/.git /var/lib/claude-devc/git; do
  [ -d "$d" ] || continue
  for f in commondir gitdir; do
    [ ! -e "$d/$f" ] || emit tamper "$d/$f" "$f"
  done
done
find /workspace -mindepth 2 -maxdepth 8 -path /workspace/.git -prune -o -name node_modules -prune -o -name .git -print 2>/dev/null \
  | while IFS= read -r n; do
  if [ -f "$n" ]; then
    target=$(sed -n 's/^gitdir: *//p' "$n" | head -n 1)
    case "$target" in
      /*) t=$target ;;
      *) t="$(dirname "$n")/$target" ;;
    esac
    t=$(cd "$t" 2>/dev/null && pwd -P || printf '%s' "$t")
    case "$t/" in /workspace/.git/modules/*|/var/lib/claude-devc/git/modules/*) ;; *) emit nested-gitfile "$n" "$target" ;; esac
  elif [ -d "$n" ]; then
    [ ! -e "$n/commondir" ] || emit tamper "$n/commondir" commondir
    if [ -f "$n/config" ]; then
      keys=$(git config --file "$n/config" --no-includes --name-only --list 2>/dev/null | tr '[:upper:]' '[:lower:]' \
        | grep -E "$dangerous" | head -n 3 | tr '\n' ' ')
      [ -z "$keys" ] || emit nested-config "$n/config" "$keys"
    fi
    if [ -d "$n/hooks" ]; then
      find "$n/hooks" -type f ! -name '*.sample' | head -n 3 | while IFS= read -r h; do emit nested-hook "$h"; done
    fi
  fi
done

# The firewall's live status, and what the attach step last did.
if [ -x /usr/local/sbin/claude-devc-firewall ]; then
  /usr/local/sbin/claude-devc-firewall status 2>&1 | while IFS= read -r line; do emit firewall "$line"; done
else
  emit firewall "result=absent"
fi
if [ -f /run/claude-devc/attach.last ]; then
  while IFS= read -r line; do emit attach "$line"; done < /run/claude-devc/attach.last
fi
exit 0
