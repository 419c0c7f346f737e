#!/bin/bash
# Shared helpers for the LDAP labs: a network namespace joined to the host by a veth pair (/30),
# and a throw-away CA with a server certificate for the namespace's address.
# Names use the helper prefix hsl-; interface names stay within 15 characters.
set -euo pipefail

# ns_up NS HOSTIF NSIF HOSTIP NSIP
ns_up() {
  local ns=$1 hif=$2 nif=$3 hip=$4 nip=$5
  ip netns add "$ns"
  ip link add "$hif" type veth peer name "$nif"
  ip link set "$nif" netns "$ns"
  ip addr add "$hip/30" dev "$hif"
  ip link set "$hif" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$nip/30" dev "$nif"
  ip -n "$ns" link set "$nif" up
}

# ns_down NS HOSTIF
ns_down() {
  local ns=$1 hif=$2
  ip link del "$hif" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}

# make_certs DIR IP DNSNAME: DIR/ca.pem, DIR/server.pem, DIR/server.key (and an untrusted other CA)
make_certs() {
  local dir=$1 ip=$2 name=$3
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=hsl lab CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=hsl other CA" \
    -keyout "$dir/other-ca.key" -out "$dir/other-ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\n' "$ip" "$name" > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/ext.cnf" -out "$dir/server.pem" >/dev/null 2>&1
  chmod 600 "$dir/server.key"
}

# wait_port IP PORT SECONDS
wait_port() {
  local ip=$1 port=$2 secs=$3
  for _ in $(seq 1 $((secs * 5))); do
    if (exec 3<>"/dev/tcp/$ip/$port") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "port $ip:$port did not open within ${secs}s" >&2
  return 1
}
