# hipaa-scan POSIX probe, section `sshd` for Linux and macOS (parsed by src/probes/posix/sshd.ts).

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

hs_posix_sshd() {
  if hs_root; then hs_sec sshd-t sshd sshd -T; else hs_skip sshd-t needs-root; fi
  hs_sshd_config
  hs_sec ssh-version ssh hs_ssh_version
}
