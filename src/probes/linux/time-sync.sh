# hipaa-scan POSIX probe, Linux section `time` (parsed by time-sync.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_chrony() {
  if grep -qx chronyd /proc/[0-9]*/comm 2>/dev/null; then hs_t chronyc -n tracking; else echo "chronyd not running"; fi
}

hs_linux_time_sync() {
  hs_sec timedatectl timedatectl timedatectl show
  hs_sec chrony chronyc hs_chrony
}
