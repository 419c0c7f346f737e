# hipaa-scan POSIX probe, macOS section `activity` (parsed by activity.ts): logins from `last`
# (the newest 2000 lines, and "wtmp begins"), and sshd authentication failures from the unified
# log for the window. Bounded by line counts and the probe's per-command time limit.

hs_mac_last() {
  hs_t last 2>/dev/null | awk -v cap=2000 '/^wtmp begins/ { print; next } NR <= cap { print }'
  return 0
}

hs_mac_authfail() {
  hs_t log show --last "${HS_ACT_DAYS:-30}d" --style syslog --predicate 'process == "sshd" AND (eventMessage CONTAINS "Failed" OR eventMessage CONTAINS "Invalid user")' 2>/dev/null |
    grep -E 'sshd(-session)?\[[0-9]+\]' | tail -n 2000
}

hs_macos_activity() {
  hs_sec act-window - echo "${HS_ACT_DAYS:-30}"
  hs_sec act-last last hs_mac_last
  if hs_root; then hs_sec act-unified log hs_mac_authfail; else hs_skip act-unified needs-root; fi
}
