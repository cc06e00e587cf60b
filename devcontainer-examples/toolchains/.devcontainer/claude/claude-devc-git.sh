#!/bin/bash
# claude-devc-git: installed root-owned as /usr/local/bin/git, before /usr/bin on PATH.
# Usage: git [ARGS...] (as git)
#
# In the workspace, /workspace/.git is read-only (a host runs what is in it); the repository's objects, refs,
# index and HEAD are writable through the git view, where its config, hooks, info/attributes and modules stay
# read-only. This wrapper points git at that view for the workspace, and says why a command that must write
# .git/config cannot work here instead of letting it fail with a bare "Read-only file system". It grants nothing:
# the mounts are the boundary, and /usr/bin/git behaves the same minus the explanation.
set -uo pipefail

real=/usr/bin/git
view=/var/lib/claude-devc/git
workspace=/workspace

refuse() {
  printf 'claude-devc: git %s is not possible in this container: it writes .git/config, which is read-only here\n' "$1" >&2
  printf 'claude-devc: (a host runs what .git/config names). %s\n' "$2" >&2
  exit 128
}

# Where git will run: the current folder, moved by each -C.
dir=$PWD
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
  a=${args[$i]}
  case "$a" in
    -C) i=$((i + 1)); d=${args[$i]:-.}; case "$d" in /*) dir=$d ;; *) dir="$dir/$d" ;; esac ;;
    -c|--namespace|--exec-path|--super-prefix|--config-env) i=$((i + 1)) ;;
    --git-dir=*|--work-tree=*) explicit=1 ;;
    --git-dir|--work-tree) explicit=1; i=$((i + 1)) ;;
    -*) ;;
    *) break ;;
  esac
  i=$((i + 1))
done
sub=${args[$i]:-}
rest=("${args[@]:$((i + 1))}")

# In the workspace (and not in a nested repository of it), git works on the view.
in_workspace=0
case "$sub" in init|clone) explicit=1 ;; esac   # they make a new repository: never the view
if [ -z "${GIT_DIR:-}" ] && [ -z "${explicit:-}" ] && [ -f "$view/HEAD" ]; then
  d=$(cd "$dir" 2>/dev/null && pwd -P) || d=
  case "$d/" in
    "$workspace"/*)
      in_workspace=1
      while [ "$d" != "$workspace" ] && [ -n "$d" ]; do
        if [ -e "$d/.git" ]; then in_workspace=0; break; fi
        d=${d%/*}
      done
      ;;
  esac
fi

if [ "$in_workspace" = 1 ]; then
  case "$sub" in
    remote)
      case "${rest[0]:-}" in
        add|rename|remove|rm|set-url|set-branches)
          refuse "remote ${rest[0]}" "Add or change remotes on the host; inside, fetch and push use the remotes the host configured." ;;
      esac ;;
    branch)
      for a in "${rest[@]}"; do
        case "$a" in
          -u|--set-upstream-to|--set-upstream-to=*|--unset-upstream|-t|--track|--track=*)
            refuse "branch $a" "Push without -u (git push origin HEAD:NAME) and set the upstream on the host." ;;
        esac
      done ;;
    push)
      for a in "${rest[@]}"; do
        case "$a" in
          -u|--set-upstream) refuse "push $a" "Push without -u: git push origin BRANCH." ;;
        esac
      done ;;
    config)
      scope=local; write=0
      for a in "${rest[@]}"; do
        case "$a" in
          --global|--system|--file|--file=*|-f|--blob|--blob=*) scope=other ;;
          --get|--get-all|--get-regexp|--get-urlmatch|--get-color|--get-colorbool|-l|--list|get|list|--show-origin|--show-scope|-e|--edit) ;;
          --add|--unset|--unset-all|--replace-all|--rename-section|--remove-section|set|unset|rename-section|remove-section) write=1 ;;
        esac
      done
      # A bare "git config NAME VALUE" writes too.
      plain=0
      for a in "${rest[@]}"; do case "$a" in -*) ;; *) plain=$((plain + 1)) ;; esac; done
      if [ "$scope" = local ] && { [ "$write" = 1 ] || [ "$plain" -ge 2 ]; }; then
        case "${rest[0]:-}" in get|list) ;; *) refuse "config (repository)" "Use git config --global for your own settings in the container." ;; esac
      fi ;;
  esac
  export GIT_DIR="$view" GIT_WORK_TREE="$workspace"
fi
exec "$real" "$@"
