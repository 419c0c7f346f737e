# hipaa-scan POSIX probe, macOS section `filevault` (parsed by filevault.ts).

hs_macos_filevault() {
  hs_sec fdesetup fdesetup fdesetup status
}
