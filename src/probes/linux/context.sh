# hipaa-scan POSIX probe, Linux context: installed programs, running processes and systemd units, read by
# many sections (src/probes/posix/probe-output.ts). Runs before the sections.

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

hs_linux_context() {
  hs_sec presence - hs_presence
  hs_sec procs - hs_procs
  hs_sec units systemctl hs_units
  hs_sec units-enabled systemctl hs_units_enabled
}
