# hipaa-scan POSIX probe, Linux section `interfaces` (parsed by interfaces.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_linux_interfaces() {
  hs_sec ip-addr ip ip -j addr
}
