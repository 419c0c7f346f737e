# hipaa-scan POSIX probe, macOS section `softwareUpdate` (parsed by software-update.ts).

hs_macos_software_update() {
  hs_sec swupdate defaults defaults read /Library/Preferences/com.apple.SoftwareUpdate
}
