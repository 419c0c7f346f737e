# hipaa-scan POSIX probe, macOS section `sip` (parsed by sip.ts).

hs_macos_sip() {
  hs_sec csrutil csrutil csrutil status
}
