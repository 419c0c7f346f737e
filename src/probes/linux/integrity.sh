# hipaa-scan POSIX probe, Linux section `integrity` (parsed by integrity.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

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

hs_linux_integrity() {
  hs_sec aide - hs_aide
  hs_sec pkgsig - hs_pkgsig
  hs_sec secureboot - hs_secureboot
}
