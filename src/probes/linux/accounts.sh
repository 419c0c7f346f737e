# hipaa-scan POSIX probe, Linux section `accounts` (parsed by accounts.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

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

hs_linux_accounts() {
  hs_sec passwd - hs_passwd
  hs_sec shadow - hs_shadow
  hs_sec group - hs_group
  if hs_root; then hs_files sudoers sudoers /etc/sudoers /etc/sudoers.d/*; else hs_skip sudoers needs-root; fi
  hs_sec lastlogin - hs_lastlogin
  # useradd -D silently prints its built-in defaults when /etc/default/useradd is unreadable.
  if [ -e /etc/default/useradd ] && [ ! -r /etc/default/useradd ]; then hs_skip useradd needs-root; else hs_sec useradd useradd useradd -D; fi
  hs_files login-defs nocomment /etc/login.defs
}
