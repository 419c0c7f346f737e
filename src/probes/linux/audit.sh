# hipaa-scan POSIX probe, Linux section `audit` (parsed by audit.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_journal_dirs() {
  for hs_d in /var/log/journal /run/log/journal; do
    if [ -d "$hs_d" ]; then echo "$hs_d=dir"; else echo "$hs_d=absent"; fi
  done
}

hs_linux_audit() {
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
}
