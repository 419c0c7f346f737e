# hipaa-scan POSIX probe, macOS context: installed programs and running processes, read by several
# sections. Like the Linux part, every command reads /dev/null (hs_sec does it) and nothing is written.

# Process names, for "is sshd running" (there is no /proc on macOS).
hs_mac_procs() {
  ps -axco comm= 2>/dev/null
  return 0
}

hs_macos_context() {
  hs_sec presence - hs_presence
  hs_sec procs - hs_mac_procs
}
