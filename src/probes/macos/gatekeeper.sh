# hipaa-scan POSIX probe, macOS section `gatekeeper` (parsed by gatekeeper.ts).

hs_macos_gatekeeper() {
  hs_sec spctl spctl spctl --status
}
