#!/usr/bin/env bash
# Network lab for the nmap collector (issues 5 and 11). Root only. Everything lives in network namespaces
# named hsn-*; nothing touches the host's own network. `lab.sh up DIR` builds it, `lab.sh down DIR` removes it.
#
#   hsn-rtr   router: bridges br1 (flat 10.77.1.0/24), br2 (server VLAN 10.77.2.0/24),
#             br3 (guest VLAN 10.77.3.0/24), br4 (device VLAN 10.77.4.0/24), br5 (flat clinic site
#             10.77.5.0/24), br9 (scanner 10.77.9.0/24). nftables forward policy DROP between subnets;
#             allowed: inside each subnet, the scanner to everything, the server VLAN to the device VLAN,
#             replies; and ONE deliberate hole: guest -> 10.77.2.10 tcp/5432 (the EHR database), which
#             answers no discovery probe (pings, 443 and 80 are dropped), so only a -Pn probe finds it
#   hsn-scan  10.77.9.10  scanner (nmap runs here); routes only to 10.77.0.0/16
#   flat:     hsn-f-ephi .10 (postgres 5432, TLS 443 with TLSv1.0+ weak ciphers and an expired self-signed
#             certificate, HTTP login 80, telnet 23, sshd 22 with weak algorithms, OpenLDAP 389 without
#             StartTLS), hsn-f-prn .20 (9100, 631),
#             hsn-f-dcm .30 (DICOM 104, 11112), hsn-f-cam .40 (RTSP 554), hsn-f-gst .50 (guest client, no ports)
#   segmented: hsn-s-ephi .10 (postgres 5432, TLS 1.2+ 443 with a lab-CA certificate, OpenLDAP 389 with
#             StartTLS, Samba 445 offering SMBv1
#             with signing not required), hsn-s-ws .20 (xrdp on 3389)
#             hsn-s-dc .30 (directory server: Kerberos 88, LDAP 389, kpasswd 464, LDAPS 636, GC 3268)
#   guest:    hsn-g-cli 10.77.3.50 (vantage point of the segmentation test)
#   devices:  hsn-d-mod1 10.77.4.30 (DICOM 104, 11112), hsn-d-mod2 .31 (HL7 2575): clinical devices only
#   clinic:   a flat /24 as small clinics build them: hsn-c-dc .5 (88, 135, 139, 389, 445, 636),
#             hsn-c-srv1 .11 and hsn-c-srv2 .12 (SSH only), hsn-c-prn .20 (9100, 631),
#             hsn-c-dcm .30 (DICOM 104, 11112), hsn-c-unk .40 (an unidentified device on 8000)
set -euo pipefail
cmd=${1:?usage: lab.sh up|down DIR}
dir=${2:?usage: lab.sh up|down DIR}
here=$(cd "$(dirname "$0")" && pwd)

HOSTS="hsn-f-ephi:1:10 hsn-f-prn:1:20 hsn-f-dcm:1:30 hsn-f-cam:1:40 hsn-f-gst:1:50 hsn-s-ephi:2:10 hsn-s-ws:2:20 hsn-s-dc:2:30 hsn-g-cli:3:50 hsn-d-mod1:4:30 hsn-d-mod2:4:31 hsn-c-dc:5:5 hsn-c-srv1:5:11 hsn-c-srv2:5:12 hsn-c-prn:5:20 hsn-c-dcm:5:30 hsn-c-unk:5:40 hsn-scan:9:10"
ALL_NS="hsn-rtr $(for h in $HOSTS; do printf '%s ' "${h%%:*}"; done)"

down() {
  if [[ -f "$dir/pids" ]]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$dir/pids"
    sleep 0.3
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done <"$dir/pids"
    rm -f "$dir/pids"
  fi
  for ns in $ALL_NS; do
    if ip netns list | grep -qw "^$ns"; then
      # Only processes inside our own namespaces: those are ours.
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

start() { # start NS LOGNAME CMD... : runs CMD in NS in the background, records its pid
  local ns=$1 log=$2
  shift 2
  ip netns exec "$ns" "$@" >"$dir/$log.log" 2>&1 &
  echo $! >>"$dir/pids"
}

certs() {
  cd "$dir"
  # Lab CA and a good certificate for the segmented ePHI server.
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=hsn lab CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout good.key -out good.csr -subj "/CN=ephi-seg.lab" 2>/dev/null
  openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out good.pem -days 365 2>/dev/null
  # Expired self-signed certificate for the flat ePHI server (openssl ca takes explicit dates).
  mkdir -p ca && : >ca/index.txt && echo 01 >ca/serial
  cat >ca/ca.cnf <<CNF
[ca]
default_ca = lab
[lab]
dir = $dir/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = any
email_in_dn = no
[any]
commonName = supplied
CNF
  openssl req -new -newkey rsa:2048 -nodes -keyout old.key -out old.csr -subj "/CN=ephi-flat.lab" 2>/dev/null
  openssl ca -batch -config ca/ca.cnf -selfsign -keyfile old.key -in old.csr -out old.pem \
    -startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
  cd - >/dev/null
}

sshd_weak() {
  local ns=$1
  mkdir -p "$dir/ssh" /run/sshd
  ssh-keygen -q -t rsa -b 2048 -N "" -f "$dir/ssh/host_rsa" <<<y >/dev/null 2>&1
  cat >"$dir/ssh/sshd_config" <<CONF
Port 22
ListenAddress 0.0.0.0
HostKey $dir/ssh/host_rsa
PidFile $dir/ssh/sshd.pid
Ciphers aes128-ctr,aes128-cbc,3des-cbc
MACs hmac-sha2-256,hmac-sha1,hmac-md5
KexAlgorithms curve25519-sha256,diffie-hellman-group1-sha1,diffie-hellman-group14-sha1
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CONF
  start "$ns" sshd /usr/sbin/sshd -D -e -f "$dir/ssh/sshd_config"
}

smbd_weak() { # Samba file server offering SMBv1, signing enabled but not required
  local ns=$1 d="$dir/smb"
  mkdir -p "$d"/{run,lock,state,cache,private,share,ncalrpc,log}
  cat >"$d/smb.conf" <<CONF
[global]
  server role = standalone server
  workgroup = HSNLAB
  netbios name = EPHI-SEG
  server min protocol = NT1
  server signing = auto
  disable netbios = yes
  smb ports = 445
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  pid directory = $d/run
  lock directory = $d/lock
  state directory = $d/state
  cache directory = $d/cache
  private dir = $d/private
  ncalrpc dir = $d/ncalrpc
  log file = $d/log/smbd.log
  map to guest = Bad User
[records]
  path = $d/share
  read only = yes
  guest ok = yes
CONF
  # No --no-process-group: smbd then runs in its own session, because it signals its whole process group when it stops.
  start "$ns" smbd /usr/sbin/smbd --foreground -s "$d/smb.conf"
}

slapd_lab() { # OpenLDAP on 389; with TLS files StartTLS is offered, without them it is not
  local ns=$1 name=$2 tls=$3 d="$dir/ldap-$2"
  mkdir -p "$d/db"
  cat >"$d/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
pidfile $d/slapd.pid
argsfile $d/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "dc=lab"
rootdn "cn=admin,dc=lab"
directory $d/db
CONF
  if [[ $tls == tls ]]; then
    sed -i "1a TLSCertificateFile $dir/good.pem\nTLSCertificateKeyFile $dir/good.key\nTLSProtocolMin 3.3\nTLSCipherSuite NORMAL:-VERS-TLS1.0:-VERS-TLS1.1:-VERS-SSL3.0" "$d/slapd.conf"
  fi
  start "$ns" "slapd-$name" /usr/sbin/slapd -f "$d/slapd.conf" -h "ldap://0.0.0.0:389/" -d 0
}

up() {
  mkdir -p "$dir"
  down
  : >"$dir/pids"
  ip netns add hsn-rtr
  ip -n hsn-rtr link set lo up
  ip netns exec hsn-rtr sysctl -qw net.ipv4.ip_forward=1
  for n in 1 2 3 4 5 9; do
    ip -n hsn-rtr link add "br$n" type bridge
    ip -n hsn-rtr addr add "10.77.$n.1/24" dev "br$n"
    ip -n hsn-rtr link set "br$n" up
  done
  local i=0
  for h in $HOSTS; do
    IFS=: read -r ns net host <<<"$h"
    i=$((i + 1))
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n hsn-rtr link add "hsn-p$i" type veth peer name eth0 netns "$ns"
    ip -n hsn-rtr link set "hsn-p$i" master "br$net" up
    # Stable, recognisable MACs: 02:77:NET:HOST:00:00 (locally administered).
    ip -n "$ns" link set eth0 address "$(printf '02:77:%02x:%02x:00:00' "$net" "$host")"
    ip -n "$ns" addr add "10.77.$net.$host/24" dev eth0
    ip -n "$ns" link set eth0 up
    # Routes only to the lab: no default route, so nothing can leave it.
    ip -n "$ns" route add 10.77.0.0/16 via "10.77.$net.1"
  done
  ip netns exec hsn-rtr nft -f - <<'NFT'
table inet hsnfw {
  chain labfwd {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    # Inside one subnet (bridged traffic, should br_netfilter hand it to this hook).
    ip saddr 10.77.1.0/24 ip daddr 10.77.1.0/24 accept
    ip saddr 10.77.2.0/24 ip daddr 10.77.2.0/24 accept
    ip saddr 10.77.3.0/24 ip daddr 10.77.3.0/24 accept
    ip saddr 10.77.4.0/24 ip daddr 10.77.4.0/24 accept
    ip saddr 10.77.5.0/24 ip daddr 10.77.5.0/24 accept
    # Allow rules: the scanner reaches everything; servers reach the clinical devices.
    ip saddr 10.77.9.0/24 accept
    ip saddr 10.77.2.0/24 ip daddr 10.77.4.0/24 accept
    # The deliberate hole: guests reach the EHR database port.
    ip saddr 10.77.3.0/24 ip daddr 10.77.2.10 tcp dport 5432 accept
  }
}
NFT
  certs
  local L="$here/listeners.mjs"
  start hsn-f-ephi ephi-flat node "$L" tcp:5432 "tls:443:$dir/old.pem:$dir/old.key:TLSv1" http-login:80 telnet:23
  sshd_weak hsn-f-ephi
  slapd_lab hsn-f-ephi flat notls
  start hsn-f-prn printer node "$L" tcp:9100 tcp:631
  start hsn-f-dcm dicom node "$L" tcp:104 tcp:11112
  start hsn-f-cam camera node "$L" rtsp:554
  start hsn-s-ephi ephi-seg node "$L" tcp:5432 "tls:443:$dir/good.pem:$dir/good.key:TLSv1.2"
  start hsn-s-dc dc-seg node "$L" tcp:88 tcp:389 tcp:464 tcp:636 tcp:3268
  start hsn-d-mod1 mod1 node "$L" tcp:104 tcp:11112
  start hsn-d-mod2 mod2 node "$L" tcp:2575
  start hsn-c-dc dc-clinic node "$L" tcp:88 tcp:135 tcp:139 tcp:389 tcp:445 tcp:636
  start hsn-c-srv1 srv1 node "$L" tcp:22
  start hsn-c-srv2 srv2 node "$L" tcp:22
  start hsn-c-prn prn-clinic node "$L" tcp:9100 tcp:631
  start hsn-c-dcm dcm-clinic node "$L" tcp:104 tcp:11112
  start hsn-c-unk unk-clinic node "$L" tcp:8000
  smbd_weak hsn-s-ephi
  slapd_lab hsn-s-ephi seg tls
  # xrdp (Debian) as the workstation's RDP service, on its default negotiate security layer.
  sed -e 's/^fork=true/fork=false/' /etc/xrdp/xrdp.ini >"$dir/xrdp.ini"
  start hsn-s-ws workstation /usr/sbin/xrdp --nodaemon --config "$dir/xrdp.ini"
  # Wait until every listener says ready and sshd listens.
  for log in ephi-flat printer dicom camera ephi-seg dc-seg mod1 mod2 dc-clinic srv1 srv2 prn-clinic dcm-clinic unk-clinic; do
    for _ in $(seq 100); do grep -q ready "$dir/$log.log" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "$dir/$log.log" || { echo "listener $log did not start:" >&2; cat "$dir/$log.log" >&2; exit 1; }
  done
  for _ in $(seq 100); do ip netns exec hsn-f-ephi ss -ltn | grep -q ':22 ' && break; sleep 0.1; done
  for _ in $(seq 100); do ip netns exec hsn-s-ephi ss -ltn | grep -q ':445 ' && break; sleep 0.1; done
  for _ in $(seq 100); do ip netns exec hsn-s-ws ss -ltn | grep -q ':3389 ' && break; sleep 0.1; done
  for ns in hsn-f-ephi hsn-s-ephi; do
    for _ in $(seq 100); do ip netns exec "$ns" ss -ltn | grep -q ':389 ' && break; sleep 0.1; done
  done
  echo "lab up in $dir"
}

case "$cmd" in
  up) up ;;
  down) down; echo "lab down" ;;
  *) echo "usage: lab.sh up|down DIR" >&2; exit 2 ;;
esac
