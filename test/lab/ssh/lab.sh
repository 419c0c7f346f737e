#!/bin/bash
# SSH lab for hipaa-scan: real OpenSSH servers in network namespaces, each with its own /etc.
#
#   lab.sh up LABDIR      build everything (idempotent: tears down first)
#   lab.sh down LABDIR    stop every sshd this lab started (by pid) and delete its namespaces
#   lab.sh rekey LABDIR H give host H a new host key and restart its sshd
#   lab.sh kill LABDIR H  kill host H's sshd and every session process under it (by pid)
#
# Layout (all names start with hss-): a switch namespace hss-sw holding bridge br0; a scanner
# namespace hss-scan (10.77.3.2) with NO default route; hosts hss-h1..hss-h4 (10.77.3.11-14, h3 on
# port 2222); fault hosts hss-nol (.15, nothing listening), hss-bh (.16, every packet dropped),
# hss-kl (.17, a slow lsblk so the probe can be cut mid-way), hss-es (.18, escape sequences in
# os-release and 20 MiB from lsblk), hss-ac (.19, login records: a wtmp that starts 3 days ago, password
# logins allowed, for the activity review). Each host has its own /var/log/wtmp and btmp (written with
# `utmpdump -r`) and an empty journal directory, bound like its /etc.
#
# The scan user's sudo password is read from the environment variable HSS_SUDO_PW (never argv);
# `up` generates nothing secret on its own.
set -euo pipefail
cmd=${1:?usage: lab.sh up|down|rekey|kill LABDIR [HOST]}
LAB=${2:?LABDIR}
NET=10.77.3
HOSTS="h1 h2 h3 h4 nol bh kl es ac"
ip_of() { case $1 in h1) echo $NET.11;; h2) echo $NET.12;; h3) echo $NET.13;; h4) echo $NET.14;; nol) echo $NET.15;; bh) echo $NET.16;; kl) echo $NET.17;; es) echo $NET.18;; ac) echo $NET.19;; scan) echo $NET.2;; esac; }

tree_pids() { # tree_pids PID: the process and all its descendants, parents first
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
}

kill_tree() { # kill_tree PID: stop the whole tree first, then kill it, so nothing in it runs on
  local pids
  pids=$(tree_pids "$1")
  # shellcheck disable=SC2086
  kill -STOP $pids 2>/dev/null || true
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
}

stop_host() {
  local h=$1 f=$LAB/$1/wrapper.pid
  if [ -f "$f" ]; then kill_tree "$(cat "$f")"; rm -f "$f"; fi
}

down() {
  for h in $HOSTS; do stop_host "$h"; done
  for ns in $(ip netns list | awk '{print $1}' | grep '^hss-' || true); do ip netns del "$ns" 2>/dev/null || true; done
}

start_sshd() { # start_sshd HOST: sshd -D in its own mount+uts namespace with the host's /etc files bound
  local h=$1 d=$LAB/$1
  : >"$d/sshd.log"
  local binds="mount --bind $d/etc/passwd /etc/passwd && mount --bind $d/etc/shadow /etc/shadow && \
mount --bind $d/etc/group /etc/group && mount --bind $d/etc/profile.d /etc/profile.d && \
mount --bind $d/etc/ssh /etc/ssh && mount --bind $d/etc/sudoers /etc/sudoers && \
mount --bind $d/etc/sudoers.d /etc/sudoers.d && mount --bind $d/etc/hosts /etc/hosts"
  [ -f "$d/etc/os-release" ] && binds="$binds && mount --bind $d/etc/os-release /etc/os-release && mount --bind $d/etc/os-release /usr/lib/os-release"
  [ -f "$d/lsblk" ] && binds="$binds && mount --bind $d/lsblk /usr/bin/lsblk"
  # Login records: the host's own wtmp/btmp and an empty journal, so the machine's own never show.
  binds="$binds && mount --bind $d/log/wtmp /var/log/wtmp && mount --bind $d/log/btmp /var/log/btmp"
  for j in /var/log/journal /run/log/journal; do [ -d "$j" ] && binds="$binds && mount --bind $d/log/journal $j"; done
  [ -e /var/log/auth.log ] && binds="$binds && mount --bind $d/log/empty /var/log/auth.log"
  mkdir -p /run/sshd
  ip netns exec "hss-$h" unshare --mount --uts --propagation private \
    sh -c "$binds && hostname $h && exec /usr/sbin/sshd -D -f /etc/ssh/sshd_config -E $d/sshd.log" \
    </dev/null >>"$d/wrapper.out" 2>&1 &
  echo $! >"$d/wrapper.pid"
  local port; port=$(awk '/^Port /{print $2}' "$d/etc/ssh/sshd_config")
  for _ in $(seq 1 100); do
    if ip netns exec "hss-$h" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "sshd on $h did not start:" >&2; cat "$d/sshd.log" "$d/wrapper.out" >&2; return 1
}

add_user() { # add_user HOST NAME UID SHADOWFIELD [GROUPS] [SHELL]
  local d=$LAB/$1/etc
  echo "$2:x:$3:$3:$2 lab user:/tmp:${6:-/bin/sh}" >>"$d/passwd"
  echo "$2:$4:19700:0:99999:7:::" >>"$d/shadow"
  echo "$2:x:$3:" >>"$d/group"
  if [ -n "${5:-}" ]; then
    for g in ${5//,/ }; do sed -i "s/^\($g:x:[0-9]*:\)\(.*\)$/\1\2,$2/; s/:,/:/" "$d/group"; done
  fi
}

make_host() { # make_host HOST PORT "sshd lines"
  local h=$1 d=$LAB/$1
  mkdir -p "$d/etc/profile.d" "$d/etc/ssh/authorized_keys" "$d/etc/sudoers.d"
  # System accounts (uid/gid < 1000, nobody) keep their entries; the lab only adds its own users, so
  # every host shows exactly the accounts this script gives it, whatever machine it runs on.
  awk -F: '$3 < 1000 || $3 == 65534' /etc/passwd >"$d/etc/passwd"
  awk -F: '$3 < 1000 || $3 == 65534' /etc/group >"$d/etc/group"
  awk -F: '{print $1":*:19700:0:99999:7:::"}' "$d/etc/passwd" >"$d/etc/shadow"
  chmod 640 "$d/etc/shadow"
  printf '127.0.0.1 localhost %s\n%s %s\n' "$h" "$(ip_of "$h")" "$h" >"$d/etc/hosts"
  ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$d/etc/ssh/ssh_host_ed25519_key"
  cat >"$d/etc/ssh/sshd_config" <<CONF
Port $2
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile $d/sshd.pid
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
StrictModes no
UsePAM no
LogLevel VERBOSE
MaxStartups 600:30:1000
MaxSessions 50
$3
CONF
  cp "$LAB/scan/id_ed25519.pub" "$d/etc/ssh/authorized_keys/scan"
  printf 'Defaults lecture=never\nDefaults !fqdn\nroot ALL=(ALL:ALL) ALL\n#includedir /etc/sudoers.d\n' >"$d/etc/sudoers"
  chmod 440 "$d/etc/sudoers"
  mkdir -p "$d/log/journal"
  : >"$d/log/empty"
  # A boot record from an hour ago: every host's wtmp reaches back that far (ac's is rewritten).
  utmp_write "$d/log/wtmp" "$(utmp_line 2 0 '~~  ' reboot '~' 6.1.0 0.0.0.0 "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%S,000000+00:00)")"
  : >"$d/log/btmp"
  chmod 600 "$d/log/btmp"
}

# utmp_line TYPE PID ID USER LINE HOST ADDR TIME: one record in utmpdump's text form.
utmp_line() { printf '[%s] [%05d] [%-4.4s] [%-32s] [%-32s] [%-256s] [%-15s] [%s]\n' "$@"; }
# utmp_write FILE TEXT: the binary wtmp/btmp file for the records in TEXT (utmpdump -r).
utmp_write() { printf '%s' "$2" | utmpdump -r -o "$1" 2>/dev/null; }

up() {
  down
  rm -rf "$LAB"
  mkdir -p "$LAB/scan"
  chmod 755 "$LAB"
  ssh-keygen -q -t ed25519 -N '' -C hss-scan -f "$LAB/scan/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C hss-wrong -f "$LAB/scan/id_wrong"
  local pwhash
  pwhash=$(printf '%s' "${HSS_SUDO_PW:?set HSS_SUDO_PW}" | openssl passwd -6 -stdin)

  # Network: a bridge in hss-sw, one veth per namespace; the scanner gets no default route.
  ip netns add hss-sw
  ip -n hss-sw link add br0 type bridge
  ip -n hss-sw link set br0 up
  ip -n hss-sw link set lo up
  for n in scan $HOSTS; do
    ip netns add "hss-$n"
    ip link add "hss-$n-a" type veth peer name "hss-$n-b"
    ip link set "hss-$n-a" netns hss-sw
    ip link set "hss-$n-b" netns "hss-$n"
    ip -n hss-sw link set "hss-$n-a" master br0 up
    ip -n "hss-$n" link set "hss-$n-b" name eth0
    ip -n "hss-$n" addr add "$(ip_of "$n")/24" dev eth0
    ip -n "hss-$n" link set eth0 up
    ip -n "hss-$n" link set lo up
  done

  # h1: the well-configured workstation.
  make_host h1 22 "PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
ClientAliveInterval 300
ClientAliveCountMax 2
X11Forwarding no"
  add_user h1 scan 1001 "$pwhash"
  add_user h1 alice 1002 '$6$lab$notarealhashbutsetlabnotarealhash'
  add_user h1 bob 1003 '$6$lab$notarealhashbutsetlabnotarealhash'
  printf 'TMOUT=600\nreadonly TMOUT\nexport TMOUT\n' >"$LAB/h1/etc/profile.d/tmout.sh"
  echo 'scan ALL=(ALL) NOPASSWD: ALL' >"$LAB/h1/etc/sudoers.d/scan"

  # h2: the front-desk PC nobody hardened: shared login, second uid 0, empty password, root login.
  make_host h2 22 "PermitRootLogin yes
PasswordAuthentication yes
PermitEmptyPasswords yes
KbdInteractiveAuthentication no
ClientAliveInterval 0
X11Forwarding yes"
  add_user h2 scan 1001 "$pwhash"
  add_user h2 frontdesk 1010 '$6$lab$notarealhashbutsetlabnotarealhash' "" /bin/bash
  add_user h2 toor 0 '$6$lab$notarealhashbutsetlabnotarealhash'
  add_user h2 temp 1011 '' "" /bin/bash
  echo 'scan ALL=(ALL) ALL' >"$LAB/h2/etc/sudoers.d/scan"

  # h3: sshd on 2222, TMOUT set but not readonly, the scan user has no sudo rights.
  make_host h3 2222 "PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
ClientAliveInterval 0"
  add_user h3 scan 1001 "$pwhash"
  add_user h3 carol 1004 '$6$lab$notarealhashbutsetlabnotarealhash'
  add_user h3 dave 1005 '!'
  printf 'TMOUT=1800\nexport TMOUT\n' >"$LAB/h3/etc/profile.d/tmout.sh"

  # h4: sudo needs the password; password and keyboard-interactive logins are allowed.
  make_host h4 22 "PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication no
ClientAliveInterval 120
ClientAliveCountMax 3"
  add_user h4 scan 1001 "$pwhash"
  # The scan user logs in with bash and a chatty ~/.bashrc (bash reads it even for `ssh host cmd`):
  # noise and escape sequences on stdout and stderr before the probe starts.
  mkdir -p "$LAB/h4/home/scan"
  sed -i "s|^scan:x:1001:1001:scan lab user:/tmp:/bin/sh$|scan:x:1001:1001:scan lab user:$LAB/h4/home/scan:/bin/bash|" "$LAB/h4/etc/passwd"
  printf 'echo "Welcome to h4, $(date)"\nprintf "\\033[31mred banner\\033[0m\\n"\necho "rc noise on stderr" >&2\n' >"$LAB/h4/home/scan/.bashrc"
  chmod -R a+rX "$LAB/h4/home"
  add_user h4 nurse 1020 '$6$lab$notarealhashbutsetlabnotarealhash' "" /bin/bash
  add_user h4 billing 1021 '$6$lab$notarealhashbutsetlabnotarealhash' "" /bin/bash
  printf 'readonly TMOUT=900\nexport TMOUT\n' >"$LAB/h4/etc/profile.d/99-timeout.sh"
  echo 'scan ALL=(ALL) ALL' >"$LAB/h4/etc/sudoers.d/scan"

  # kl: an lsblk that hangs, so a test can kill sshd while the probe runs.
  make_host kl 22 "PasswordAuthentication no"
  add_user kl scan 1001 "$pwhash"
  echo 'scan ALL=(ALL) NOPASSWD: ALL' >"$LAB/kl/etc/sudoers.d/scan"
  printf '#!/bin/sh\nsleep 15\n' >"$LAB/kl/lsblk"
  chmod 755 "$LAB/kl/lsblk"

  # es: hostile output: escape sequences in os-release, 20 MiB from lsblk.
  make_host es 22 "PasswordAuthentication no"
  add_user es scan 1001 "$pwhash"
  printf 'PRETTY_NAME="Evil\033]0;pwned\007 \033[2J\033[31mLinux"\nNAME="Evil\033[5mOS"\nID=debian\nVERSION_ID="12"\n' >"$LAB/es/etc/os-release"
  printf '#!/bin/sh\nhead -c 20971520 /dev/zero | tr "\\\\0" "A"\n' >"$LAB/es/lsblk"
  chmod 755 "$LAB/es/lsblk"

  # ac: login records for the activity review. Its wtmp starts 3 days ago (shorter than the 30-day
  # window) with a boot and one console login by alice; the test itself makes the failed SSH logins
  # (btmp) and the successful ones (wtmp), through this sshd.
  make_host ac 22 "PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
MaxAuthTries 50"
  add_user ac scan 1001 "$pwhash"
  add_user ac alice 1002 "$pwhash" "" /bin/sh
  add_user ac mallory 1003 '$6$lab$notarealhashbutsetlabnotarealhash' "" /bin/sh
  cp "$LAB/scan/id_ed25519.pub" "$LAB/ac/etc/ssh/authorized_keys/mallory"
  echo 'scan ALL=(ALL) NOPASSWD: ALL' >"$LAB/ac/etc/sudoers.d/scan"
  utmp_write "$LAB/ac/log/wtmp" "$(utmp_line 2 0 '~~  ' reboot '~' 6.1.0 0.0.0.0 "$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%S,000000+00:00)")
$(utmp_line 7 4242 tty1 alice tty1 '' 0.0.0.0 "$(date -u -d '-3 days +5 minutes' +%Y-%m-%dT%H:%M:%S,000000+00:00)")
"

  chmod -R go+rX "$LAB/scan"
  chmod 600 "$LAB/scan/id_ed25519" "$LAB/scan/id_wrong"
  for h in h1 h2 h3 h4 kl es ac; do start_sshd "$h"; done

  # bh: every packet dropped, so connects hang until the deadline.
  ip netns exec hss-bh nft -f - <<'NFT'
table inet hssdrop {
  chain input { type filter hook input priority 0; policy drop; }
}
NFT
  echo "lab up in $LAB"
}

case $cmd in
  up) up ;;
  down) down; rm -rf "$LAB" ;;
  rekey)
    h=${3:?host}
    stop_host "$h"
    rm -f "$LAB/$h/etc/ssh/ssh_host_ed25519_key"*
    ssh-keygen -q -t ed25519 -N '' -C "$h-new" -f "$LAB/$h/etc/ssh/ssh_host_ed25519_key"
    start_sshd "$h" ;;
  kill) kill_tree "$(cat "$LAB/${3:?host}/wrapper.pid")" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
