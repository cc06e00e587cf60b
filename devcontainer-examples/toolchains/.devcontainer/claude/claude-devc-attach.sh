#!/bin/bash -p
# claude-devc-attach: installed root-owned as /usr/local/sbin/claude-devc-attach.
# Usage: sudo -n /usr/local/sbin/claude-devc-attach   (no arguments; devcontainer.json's postAttachCommand)
#
# Runs after every attach of an IDE (VS Code runs postAttachCommand at each attach and window reload, after it
# has planted what it forwards). As root it removes the forwarded git credential helper VS Code writes into the
# system git config (/etc/gitconfig), and unlinks the forwarded sockets it can find: the SSH agent
# (/tmp/vscode-ssh-auth-*.sock), the Dev Containers and VS Code IPC sockets, the git askpass socket and forwarded
# GPG agent sockets. VS Code's own connection to its server does not go through any of them. Processes that
# already hold a connection keep it, and sockets VS Code creates after this step are reachable until the next
# attach: only the host settings (README, "Forwarded credentials") stop the forwarding itself.
# /etc/claude-devc/forward-git-credentials (written at build when the descriptor opts in) keeps the git helper.
set -euo pipefail
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022

if [ "$#" -ne 0 ]; then
  echo "usage: claude-devc-attach (no arguments)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "claude-devc-attach: run it through sudo -n (root is needed for /etc/gitconfig)" >&2
  exit 1
fi

removed=()

# 1. The git credential helper in the system config (root-owned: the agent cannot put it back).
if [ ! -e /etc/claude-devc/forward-git-credentials ] && [ -f /etc/gitconfig ]; then
  while IFS= read -r key; do
    [ -n "$key" ] || continue
    git config --system --unset-all "$key" 2>/dev/null || true
    removed+=("$key in /etc/gitconfig")
  done < <(git config --system --name-only --list 2>/dev/null | grep -iE '^credential\.' | sort -u || true)
fi

# 2. Forwarded sockets. Only sockets (never a link or a file: /tmp is writable by the agent) are unlinked.
unlink_socket() {
  if [ -S "$1" ] && [ ! -L "$1" ]; then
    rm -f -- "$1"
    removed+=("$1")
  fi
}
shopt -s nullglob
patterns=(/tmp/vscode-ssh-auth-*.sock /tmp/vscode-remote-containers-ipc-*.sock /tmp/vscode-ipc-*.sock
  /tmp/vscode-git-*.sock /tmp/vscode-wayland-*.sock /run/user/*/vscode-*.sock /run/user/*/gnupg/S.gpg-agent*
  /home/*/.gnupg/S.gpg-agent* /root/.gnupg/S.gpg-agent*)
if [ -e /etc/claude-devc/forward-git-credentials ]; then
  # Opted in: the helper reaches the host through these two.
  patterns=(/tmp/vscode-ssh-auth-*.sock /tmp/vscode-ipc-*.sock /tmp/vscode-wayland-*.sock
    /run/user/*/vscode-*.sock /run/user/*/gnupg/S.gpg-agent* /home/*/.gnupg/S.gpg-agent* /root/.gnupg/S.gpg-agent*)
fi
for s in "${patterns[@]}"; do
  unlink_socket "$s"
done

mkdir -p /run/claude-devc
{
  echo "attached=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for r in "${removed[@]+"${removed[@]}"}"; do echo "removed=$r"; done
} > /run/claude-devc/attach.last
chmod 0644 /run/claude-devc/attach.last
echo "claude-devc-attach: removed ${#removed[@]} forwarded credential(s) or socket(s)"
for r in "${removed[@]+"${removed[@]}"}"; do echo "  $r"; done
