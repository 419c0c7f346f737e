#!/bin/bash
# OpenLDAP lab: slapd-lab.sh up DIR PASSWORD_FILE [LDIF] | down DIR
# slapd 2.5 with the ppolicy overlay and `lastbind on` (pwdLastSuccess), in namespace hsl-ol
# (server 10.203.42.2, host side 10.203.42.1), LDAP on 389 and LDAPS on 636. The directory is
# bulk-loaded with slapadd before slapd starts. PASSWORD_FILE line 1: rootdn (cn=admin) password,
# line 2: auditor password. LDIF defaults to the seeded lab (gen-openldap-ldif.mjs).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns.sh"
NS=${HSL_NS:-hsl-ol}; HIF=${HSL_HIF:-hsl-ol-h}; NIF=${HSL_NIF:-hsl-ol-n}
HIP=${HSL_HIP:-10.203.42.1}; NIP=${HSL_NIP:-10.203.42.2}
ACTION=$1; DIR=$2

case "$ACTION" in
up)
  PWFILE=$3; LDIF=${4:-}
  mkdir -p "$DIR/db" "$DIR/run"
  ns_up "$NS" "$HIF" "$NIF" "$HIP" "$NIP"
  make_certs "$DIR/tls" "$NIP" ldap1.hsl.lab
  head -n1 "$PWFILE" | tr -d '\n' > "$DIR/rootpw"; chmod 600 "$DIR/rootpw"
  ROOTHASH=$(slappasswd -T "$DIR/rootpw"); rm -f "$DIR/rootpw"
  cat > "$DIR/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile $DIR/run/slapd.pid
argsfile $DIR/run/slapd.args
TLSCACertificateFile $DIR/tls/ca.pem
TLSCertificateFile $DIR/tls/server.pem
TLSCertificateKeyFile $DIR/tls/server.key
# 500 per plain search (as many real servers); paged searches may return everything
sizelimit size.soft=500 size.hard=500 size.prtotal=unlimited
database mdb
maxsize 2147483648
suffix "dc=hsl,dc=lab"
rootdn "cn=admin,dc=hsl,dc=lab"
rootpw $ROOTHASH
directory $DIR/db
lastbind on
index objectClass eq
index uid eq
overlay ppolicy
ppolicy_default "cn=default,ou=policies,dc=hsl,dc=lab"
ppolicy_use_lockout
access to attrs=userPassword by anonymous auth by self write by * none
access to * by dn.exact="uid=auditor,ou=people,dc=hsl,dc=lab" read by self read by * none
CONF
  if [ -z "$LDIF" ]; then
    LDIF="$DIR/seed.ldif"
    node "$HERE/gen-openldap-ldif.mjs" lab "$PWFILE" > "$LDIF"
  fi
  slapadd -q -f "$DIR/slapd.conf" -l "$LDIF" > "$DIR/slapadd.log" 2>&1
  setsid ip netns exec "$NS" slapd -d 0 -f "$DIR/slapd.conf" -h "ldap://$NIP:389/ ldaps://$NIP:636/" > "$DIR/slapd.log" 2>&1 &
  echo $! > "$DIR/slapd.launcher.pid"
  wait_port "$NIP" 636 60
  wait_port "$NIP" 389 10
  ;;
down)
  for f in "$DIR/slapd.launcher.pid"; do
    if [ -f "$f" ]; then
      PID=$(cat "$f")
      kill -TERM -- "-$PID" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$PID" 2>/dev/null || true
    fi
  done
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  ns_down "$NS" "$HIF"
  rm -rf "$DIR"
  ;;
*) echo "usage: $0 up DIR PASSWORD_FILE [LDIF] | down DIR" >&2; exit 2 ;;
esac
