# hipaa-scan POSIX probe, Linux section `activity` (parsed by activity.ts): login evidence the host
# already keeps. Bounded: at most hs_act_cap records per source (the newest), the journal only for
# the window, and only the lines that name a login failure or a sudo command.

# The window: HS_ACT_DAYS, set by the collector (--activity-window, a whole number of days), else 30.
hs_act_days=${HS_ACT_DAYS:-30}
hs_act_cap=2000

# hs_act_utmp FILE: utmpdump of a wtmp/btmp file: "first <oldest record>", the newest records, "total N".
hs_act_utmp() {
  if [ ! -e "$1" ]; then
    echo "absent"
    return 0
  fi
  if [ ! -r "$1" ]; then
    echo "$1: Permission denied" >&2
    return 13
  fi
  hs_t utmpdump "$1" 2>/dev/null | awk -v cap="$hs_act_cap" '
    NR == 1 { print "first " $0 }
    { buf[NR % cap] = $0 }
    END { n = NR < cap ? NR : cap; for (i = NR - n + 1; i <= NR; i++) print buf[i % cap]; print "total " NR }'
}

# sshd login failures, sudo commands and group additions (usermod, gpasswd) from the journal (window only), and the oldest entry kept.
hs_act_journal() {
  if [ ! -d /var/log/journal ] && [ ! -d /run/log/journal ]; then
    echo "absent"
    return 0
  fi
  echo "first $(hs_t journalctl -q --no-pager -o short-iso 2>/dev/null | head -n 1)"
  hs_t journalctl -q --no-pager -o short-iso --since "-$hs_act_days days" _COMM=sshd _COMM=sshd-session _COMM=sudo _COMM=usermod _COMM=gpasswd 2>/dev/null |
    grep -E 'sshd(-session)?\[[0-9]+\]: (Failed [a-z-]+ for|Invalid user)|sudo(\[[0-9]+\])?: .*COMMAND=|usermod\[[0-9]+\]: add |gpasswd\[[0-9]+\]: user .* added by ' | tail -n "$hs_act_cap"
  return 0
}

# The same from the syslog files (Debian auth.log, RHEL secure), newest lines only.
hs_act_authlog() {
  hs_af=
  for hs_f in /var/log/auth.log /var/log/secure; do [ -e "$hs_f" ] && hs_af=$hs_f && break; done
  if [ -z "$hs_af" ]; then
    echo "absent"
    return 0
  fi
  if [ ! -r "$hs_af" ]; then
    echo "$hs_af: Permission denied" >&2
    return 13
  fi
  hs_ao=$hs_af
  for hs_f in "$hs_af".1 "$hs_af".2.gz "$hs_af".3.gz "$hs_af".4.gz; do [ -e "$hs_f" ] && hs_ao=$hs_f; done
  case $hs_ao in
    *.gz) echo "first $(gzip -dc "$hs_ao" 2>/dev/null | head -n 1)" ;;
    *) echo "first $(head -n 1 "$hs_ao")" ;;
  esac
  echo "file $hs_af"
  grep -E 'sshd(-session)?\[[0-9]+\]: (Failed [a-z-]+ for|Invalid user)|sudo(\[[0-9]+\])?: .*COMMAND=|usermod\[[0-9]+\]: add |gpasswd\[[0-9]+\]: user .* added by ' "$hs_af" | tail -n "$hs_act_cap"
  return 0
}

hs_linux_activity() {
  hs_sec act-window - echo "$hs_act_days"
  if hs_have utmpdump; then
    hs_sec act-wtmp - hs_act_utmp /var/log/wtmp
    hs_sec act-btmp - hs_act_utmp /var/log/btmp
  else
    hs_sec act-wtmp utmpdump true
    hs_sec act-btmp utmpdump true
  fi
  hs_sec act-journal - hs_act_journal
  hs_sec act-authlog - hs_act_authlog
}
