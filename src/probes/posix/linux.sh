# hipaa-scan POSIX probe: Linux sections. Each section is parsed by a module in src/probes/linux/.
# Every command reads /dev/null as stdin (hs_sec does it) and nothing is written to disk.

# Programs whose presence is a fact ("installed"); one name=path line each.
hs_presence() {
  for hs_p in sshd ssh auditd auditctl aide aideinit gnome-shell chronyd chronyc ntpd timedatectl nft iptables \
    ufw firewall-cmd apt-get dnf yum rpm dpkg mokutil lastlog lastlog2 last getent useradd rsyslogd syslog-ng \
    systemctl lsblk ip; do
    hs_w=$(command -v "$hs_p" 2>/dev/null) && echo "$hs_p=$hs_w"
  done
  return 0
}

# Names of running processes (from /proc/*/comm: no command lines, which may hold secrets).
hs_procs() {
  cat /proc/[0-9]*/comm 2>/dev/null
  return 0
}

hs_units_list="ssh sshd auditd chrony chronyd ntp ntpd ntpsec openntpd systemd-timesyncd systemd-journal-upload \
rsyslog syslog-ng firewalld ufw nftables netfilter-persistent dailyaidecheck.timer aidecheck.timer aide-check.timer"
hs_units() {
  echo "units: $hs_units_list"
  # shellcheck disable=SC2086
  hs_t systemctl is-active $hs_units_list
}
hs_units_enabled() {
  echo "units: $hs_units_list"
  # shellcheck disable=SC2086
  hs_t systemctl is-enabled $hs_units_list
}

hs_osrelease() {
  if [ -r /etc/os-release ]; then cat /etc/os-release; else cat /usr/lib/os-release; fi
}

# lsblk: MOUNTPOINTS needs util-linux 2.37, PATH 2.33; older versions get the older columns. KNAME
# (dm-1) is how /proc/swaps names device-mapper swap.
hs_lsblk() {
  lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINTS,PKNAME,SIZE 2>/dev/null ||
    lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINT,PKNAME,SIZE 2>/dev/null ||
    lsblk -J -b -o NAME,KNAME,TYPE,FSTYPE,MOUNTPOINT,PKNAME,SIZE
}

# sshd_config with its Include files expanded (relative paths are under /etc/ssh), three levels deep.
hs_sshd_conf() {
  [ "$2" -gt 3 ] && return 0
  hs_cat_one nocomment "$1"
  [ -r "$1" ] || return 0
  for hs_inc in $(awk 'tolower($1) == "include" { for (i = 2; i <= NF; i++) print $i }' "$1"); do
    case $hs_inc in /*) ;; *) hs_inc="/etc/ssh/$hs_inc" ;; esac
    for hs_g in $hs_inc; do
      hs_sshd_conf "$hs_g" $(($2 + 1))
    done
  done
}
hs_sshd_config() {
  hs_mk begin sshd-config
  hs_sshd_conf /etc/ssh/sshd_config 0
  hs_mk end sshd-config rc=0
}

hs_ssh_version() {
  hs_sv=$(hs_t sshd -V 2>&1 | sed -n "/OpenSSH/{p;q;}")
  [ -n "$hs_sv" ] || hs_sv=$(hs_t ssh -V 2>&1)
  echo "$hs_sv"
}

# Reduced to name:status:lastchange:max:inactive:expire. Password hashes never leave this awk.
hs_shadow() {
  if [ ! -r /etc/shadow ]; then
    echo "/etc/shadow: Permission denied" >&2
    return 13
  fi
  awk -F: '{
    s = "set"
    if ($2 == "") s = "empty"
    else if ($2 ~ /^[!*]/) s = "locked"
    print $1 ":" s ":" $3 ":" $5 ":" $7 ":" $8
  }' /etc/shadow
}

hs_passwd() { hs_t getent passwd 2>/dev/null || cat /etc/passwd; }
hs_group() { hs_t getent group 2>/dev/null || cat /etc/group; }

hs_lastlogin() {
  if hs_have lastlog; then
    echo "tool=lastlog"
    hs_t lastlog
  elif hs_have lastlog2; then
    echo "tool=lastlog2"
    hs_t lastlog2
  elif hs_have last; then
    echo "tool=last"
    hs_t last -F -w
  else
    echo "no lastlog, lastlog2 or last" >&2
    return 127
  fi
}

hs_journal_dirs() {
  for hs_d in /var/log/journal /run/log/journal; do
    if [ -d "$hs_d" ]; then echo "$hs_d=dir"; else echo "$hs_d=absent"; fi
  done
}

hs_chrony() {
  if grep -qx chronyd /proc/[0-9]*/comm 2>/dev/null; then hs_t chronyc -n tracking; else echo "chronyd not running"; fi
}

hs_firewalld() {
  if grep -qx firewalld /proc/[0-9]*/comm 2>/dev/null; then hs_t firewall-cmd --state; else echo "firewalld not running"; fi
}

# Pending upgrades from apt's local metadata; nothing is locked, downloaded or changed.
# `apt list --upgradable` is about four times faster than simulating a dist-upgrade (no resolver),
# which keeps the probe within its time budget; `apt-get -s` is the fallback where `apt` is missing.
hs_apt() {
  if hs_have apt; then
    echo "tool=apt-list"
    hs_t apt list --upgradable 2>/dev/null
    hs_ar=$?
  else
    echo "tool=apt-get"
    hs_ao=$(hs_t apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>&1)
    hs_ar=$?
    printf '%s\n' "$hs_ao" | grep -E '^(Inst |E: |W: )'
  fi
  echo "lists-updated=$(stat -c %Y /var/lib/apt/lists/*Release 2>/dev/null | sort -n | tail -n 1)"
  return $hs_ar
}

# Which archives are security archives: the header of each downloaded Release file (reading them
# costs nothing, where `apt-cache policy` would rebuild apt's cache a second time).
hs_apt_releases() {
  grep -H -E '^(Origin|Label|Suite|Codename):' /var/lib/apt/lists/*Release 2>/dev/null
  return 0
}

# -C: cache only, so the probe never downloads metadata (and stays fast).
hs_dnf_security() { hs_t dnf -q -C updateinfo list --security; }
hs_dnf_updates() { hs_t dnf -q -C check-update; }

hs_aide() {
  for hs_c in /etc/aide/aide.conf /etc/aide.conf; do
    [ -r "$hs_c" ] && grep -E '^[[:space:]]*(database|database_in|DBDIR)[[:space:]]*=' "$hs_c" | sed "s|^|conf $hs_c |"
  done
  hs_dbs=$(sed -n 's/^[[:space:]]*database\(_in\)\{0,1\}[[:space:]]*=[[:space:]]*\(file:\)\{0,1\}\([^[:space:]]*\).*/\3/p' \
    /etc/aide/aide.conf /etc/aide.conf 2>/dev/null | grep '^/')
  for hs_d in $hs_dbs /var/lib/aide/aide.db /var/lib/aide/aide.db.gz; do
    if [ -e "$hs_d" ]; then
      echo "db $hs_d present"
    elif [ -d /var/lib/aide ] && [ ! -x /var/lib/aide ]; then
      echo "db $hs_d denied"
    else
      echo "db $hs_d absent"
    fi
  done
  for hs_f in /etc/crontab /etc/cron.d/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.hourly/* /var/spool/cron/crontabs/root /var/spool/cron/root; do
    [ -f "$hs_f" ] || continue
    if [ -r "$hs_f" ]; then
      grep -q aide "$hs_f" && echo "cron $hs_f"
    else
      echo "cron-denied $hs_f"
    fi
  done
  return 0
}

hs_pkgsig() {
  grep -H -i -E 'AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories|trusted[[:space:]]*[=:][[:space:]]*yes|gpgcheck[[:space:]]*=[[:space:]]*(0|false|no)|repo_gpgcheck|localpkg_gpgcheck' \
    /etc/apt/apt.conf /etc/apt/apt.conf.d/* /etc/apt/sources.list /etc/apt/sources.list.d/* \
    /etc/dnf/dnf.conf /etc/yum.conf /etc/yum.repos.d/*.repo 2>/dev/null
  for hs_f in /etc/apt/sources.list /etc/apt/sources.list.d /etc/yum.repos.d /etc/dnf/dnf.conf /etc/yum.conf; do
    [ -e "$hs_f" ] && echo "exists=$hs_f"
  done
  return 0
}

hs_secureboot() {
  if [ ! -d /sys/firmware/efi ]; then
    echo "efi=no"
    return 0
  fi
  echo "efi=yes"
  for hs_v in /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e39ba2301b8c; do
    [ -r "$hs_v" ] && echo "efivar=$(od -An -tu1 "$hs_v" | tr -s ' \n' '  ')"
  done
  hs_have mokutil && hs_t mokutil --sb-state 2>&1
  return 0
}

# Slow sections run concurrently with the rest (see probe_linux).
hs_linux_slow() {
  if hs_have apt-get; then
    hs_sec apt apt-get hs_apt
    hs_sec apt-releases - hs_apt_releases
  else
    hs_sec apt apt-get true
  fi
  if hs_have dnf; then
    hs_sec dnf-security dnf hs_dnf_security
    hs_sec dnf-updates dnf hs_dnf_updates
  fi
}

hs_linux_fast() {
  hs_sec presence - hs_presence
  hs_sec procs - hs_procs
  hs_sec units systemctl hs_units
  hs_sec units-enabled systemctl hs_units_enabled
  hs_sec os-release - hs_osrelease
  # storage
  hs_sec lsblk lsblk hs_lsblk
  hs_sec mounts - cat /proc/self/mounts
  hs_sec swaps - cat /proc/swaps
  hs_files crypttab cat /etc/crypttab
  # session timeouts
  hs_files tmout grep:TMOUT /etc/profile /etc/profile.d/*.sh /etc/bash.bashrc /etc/bashrc /etc/zsh/zshenv /etc/zshenv
  if hs_root; then hs_sec sshd-t sshd sshd -T; else hs_skip sshd-t needs-root; fi
  hs_sshd_config
  hs_sec ssh-version ssh hs_ssh_version
  hs_files dconf nocomment /etc/dconf/db/*.d/*
  hs_files dconf-locks nocomment /etc/dconf/db/*.d/locks/*
  # accounts
  hs_sec passwd - hs_passwd
  hs_sec shadow - hs_shadow
  hs_sec group - hs_group
  if hs_root; then hs_files sudoers sudoers /etc/sudoers /etc/sudoers.d/*; else hs_skip sudoers needs-root; fi
  hs_sec lastlogin - hs_lastlogin
  # useradd -D silently prints its built-in defaults when /etc/default/useradd is unreadable.
  if [ -e /etc/default/useradd ] && [ ! -r /etc/default/useradd ]; then hs_skip useradd needs-root; else hs_sec useradd useradd useradd -D; fi
  hs_files login-defs nocomment /etc/login.defs
  # audit and logging
  if hs_root; then
    hs_sec auditctl-s auditctl auditctl -s
    hs_sec auditctl-l auditctl auditctl -l
  else
    hs_skip auditctl-s needs-root
    hs_skip auditctl-l needs-root
  fi
  hs_files journald nocomment /etc/systemd/journald.conf /usr/lib/systemd/journald.conf.d/*.conf \
    /etc/systemd/journald.conf.d/*.conf /run/systemd/journald.conf.d/*.conf
  hs_sec journal-dirs - hs_journal_dirs
  hs_files rsyslog nocomment /etc/rsyslog.conf /etc/rsyslog.d/*.conf
  hs_files syslog-ng nocomment /etc/syslog-ng/syslog-ng.conf /etc/syslog-ng/conf.d/*.conf
  hs_files journal-upload nocomment /etc/systemd/journal-upload.conf /etc/systemd/journal-upload.conf.d/*.conf
  # time
  hs_sec timedatectl timedatectl timedatectl show
  hs_sec chrony chronyc hs_chrony
  # firewall
  if hs_root; then
    hs_sec nft nft nft list ruleset
    hs_sec iptables iptables iptables -S
    # ufw is a Python program (~0.2 s): only asked when its config says it is enabled.
    if grep -qs '^ENABLED=yes' /etc/ufw/ufw.conf; then hs_sec ufw ufw ufw status verbose; else hs_skip ufw disabled-in-ufw.conf; fi
  else
    hs_skip nft needs-root
    hs_skip iptables needs-root
    hs_skip ufw needs-root
  fi
  hs_files ufw-conf nocomment /etc/ufw/ufw.conf
  hs_sec firewalld firewall-cmd hs_firewalld
  # PAM and password quality
  hs_files pam nocomment /etc/pam.d/common-auth /etc/pam.d/common-password /etc/pam.d/common-account \
    /etc/pam.d/system-auth /etc/pam.d/password-auth /etc/pam.d/sshd /etc/pam.d/login
  hs_files faillock nocomment /etc/security/faillock.conf
  hs_files pwquality nocomment /etc/security/pwquality.conf /etc/security/pwquality.conf.d/*.conf
  # integrity
  hs_sec aide - hs_aide
  hs_sec pkgsig - hs_pkgsig
  hs_sec secureboot - hs_secureboot
  # network
  hs_sec ip-addr ip ip -j addr
}

# The slow sections (package-manager simulations, ~2 s) write into a pipe that is copied out after
# the fast sections, so sections never interleave and the whole probe takes about as long as apt.
probe_linux() {
  { hs_linux_slow </dev/null; } | {
    hs_linux_fast </dev/null
    cat
  }
}
