# hipaa-scan POSIX probe, macOS section `os` (parsed by os.ts; uname comes from the ident section).

hs_macos_os() {
  hs_sec sw-vers sw_vers sw_vers
}
