#!/bin/bash
# Samba AD DC lab: samba-lab.sh up DIR PASSWORD_FILE | down DIR
# Provisions HSL.LAB in namespace hsl-dc (DC at 10.203.41.2, host side 10.203.41.1), seeds the
# directory offline with seed-samba.py (before the server starts), then runs samba in the namespace.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns.sh"
NS=${HSL_NS:-hsl-dc}; HIF=${HSL_HIF:-hsl-dc-h}; NIF=${HSL_NIF:-hsl-dc-n}
HIP=${HSL_HIP:-10.203.41.1}; NIP=${HSL_NIP:-10.203.41.2}
ACTION=$1; DIR=$2
# A step that fails says why: the last lines of its log go to stderr (the test prints them).
fail_with_log() { echo "samba lab: $1 failed; last lines of $2:" >&2; grep -v '^  ' "$2" | tail -n 8 >&2; exit 1; }

case "$ACTION" in
up)
  PWFILE=$3; SEED=${4:-$HERE/seed-samba.py}
  mkdir -p "$DIR"
  ns_up "$NS" "$HIF" "$NIF" "$HIP" "$NIP"
  make_certs "$DIR/tls" "$NIP" dc1.hsl.lab
  # No --adminpass: a password on a command line is visible in ps. Provision picks a random one
  # and the seed script sets the Administrator password from PASSWORD_FILE.
  ip netns exec "$NS" samba-tool domain provision --realm=HSL.LAB --domain=HSL --host-name=dc1 \
    --server-role=dc --dns-backend=SAMBA_INTERNAL --targetdir="$DIR/dc" \
    --option="interfaces=lo $NIF" --option="bind interfaces only=yes" \
    --option="pid directory=$DIR/dc/run" --option="tls enabled=yes" \
    --option="tls keyfile=$DIR/tls/server.key" --option="tls certfile=$DIR/tls/server.pem" \
    --option="tls cafile=$DIR/tls/ca.pem" > "$DIR/provision.log" 2>&1 || fail_with_log "samba-tool domain provision" "$DIR/provision.log"
  mkdir -p "$DIR/dc/run"
  /usr/bin/python3 "$SEED" "$DIR/dc/private/sam.ldb" "$PWFILE" > "$DIR/seed.log" 2>&1 || fail_with_log "seeding" "$DIR/seed.log"
  # -M single: one process; setsid so the whole group can be stopped by its pid.
  setsid ip netns exec "$NS" samba -s "$DIR/dc/etc/smb.conf" -i -M single > "$DIR/samba.log" 2>&1 &
  echo $! > "$DIR/samba.pid"
  wait_port "$NIP" 636 60
  wait_port "$NIP" 389 10
  ;;
down)
  if [ -f "$DIR/samba.pid" ]; then
    PID=$(cat "$DIR/samba.pid")
    kill -TERM -- "-$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$PID" 2>/dev/null || true
  fi
  # anything still running inside the namespace was started by this lab
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  ns_down "$NS" "$HIF"
  rm -rf "$DIR"
  ;;
*) echo "usage: $0 up DIR PASSWORD_FILE [SEED] | down DIR" >&2; exit 2 ;;
esac
