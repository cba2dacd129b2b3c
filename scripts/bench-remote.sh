#!/usr/bin/env bash
# `dpotop-bench remote` in one command: a throwaway sshd on a free port of
# 127.0.0.1 (host key and user key in a temporary directory; needs root and
# openssh-server), the release dashboard in tmux watching a run as
# root@127.0.0.1:PATH against the same dashboard on the local path. Prints
# both p95s, their ratio and whether remote p95 ≤ 1 s. Stops sshd at the end.
# Usage: scripts/bench-remote.sh [--records N] [--gap-ms MS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench-remote: needs root (sshd)" >&2; exit 2; }
[ -x /usr/sbin/sshd ] || { echo "bench-remote: apt-get install openssh-server" >&2; exit 2; }
# dpotop-bench drives the dpotop built beside it.
swift build -c release --product dpotop >/dev/null
swift build -c release --product dpotop-bench >/dev/null
bin=$(swift build -c release --show-bin-path)/dpotop-bench
dir=$(mktemp -d)
trap '[ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/user_key"
cp "$dir/user_key.pub" "$dir/authorized_keys"
cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $dir/sshd.pid
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
echo "load: $(uptime | sed 's/.*load average/load average/')"
"$bin" remote --host root@127.0.0.1 \
  --ssh "ssh -p $port -i $dir/user_key -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR" \
  "$@"
