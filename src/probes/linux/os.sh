# hipaa-scan POSIX probe, Linux section `os` (parsed by os.ts; uname comes from the ident section in common.sh). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_osrelease() {
  if [ -r /etc/os-release ]; then cat /etc/os-release; else cat /usr/lib/os-release; fi
}

hs_linux_os() {
  hs_sec os-release - hs_osrelease
}
