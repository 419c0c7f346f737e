# hipaa-scan POSIX probe: macOS sections. Each section is parsed by a module in src/probes/macos/.
# Like the Linux part, every command reads /dev/null (hs_sec does it) and nothing is written.
# Shared helpers from linux.sh are reused for sshd (hs_presence, hs_ssh_version, hs_sshd_config).

# Process names, for "is sshd running" (there is no /proc on macOS).
hs_mac_procs() {
  ps -axco comm= 2>/dev/null
  return 0
}

# hs_mac_plists PLIST…: each existing plist as a file block, printed by defaults(1).
hs_mac_plists() {
  for hs_f in "$@"; do
    [ -f "$hs_f" ] || continue
    if [ ! -r "$hs_f" ]; then
      hs_mk file "$hs_f" denied
      continue
    fi
    hs_mk file "$hs_f"
    defaults read "${hs_f%.plist}" 2>&1 </dev/null
  done
  return 0
}

# Screen saver settings in the order they take effect: configuration profiles (computer level,
# then per user) and then each user's own ByHost preferences.
hs_mac_screensaver() {
  hs_mac_plists "/Library/Managed Preferences/com.apple.screensaver.plist" \
    /Library/Managed\ Preferences/*/com.apple.screensaver.plist \
    /Users/*/Library/Preferences/ByHost/com.apple.screensaver.*.plist
}

hs_mac_fw=/usr/libexec/ApplicationFirewall/socketfilterfw

probe_macos() {
  hs_sec presence - hs_presence
  hs_sec procs - hs_mac_procs
  hs_sec sw-vers sw_vers sw_vers
  hs_sec fdesetup fdesetup fdesetup status
  hs_sec fw-global "$hs_mac_fw" "$hs_mac_fw" --getglobalstate
  hs_sec fw-stealth "$hs_mac_fw" "$hs_mac_fw" --getstealthmode
  hs_sec csrutil csrutil csrutil status
  hs_sec spctl spctl spctl --status
  hs_sec dscl-uid dscl dscl . -list /Users UniqueID
  hs_sec dscl-gid dscl dscl . -list /Users PrimaryGroupID
  hs_sec dscl-shell dscl dscl . -list /Users UserShell
  hs_sec dscl-home dscl dscl . -list /Users NFSHomeDirectory
  hs_sec dscl-admin dscl dscl . -read /Groups/admin GroupMembership
  hs_sec screensaver - hs_mac_screensaver
  hs_sec screenlock sysadminctl sysadminctl -screenLock status
  hs_sec swupdate defaults defaults read /Library/Preferences/com.apple.SoftwareUpdate
  if hs_root; then hs_sec sshd-t sshd sshd -T; else hs_skip sshd-t needs-root; fi
  hs_sshd_config
  hs_sec ssh-version ssh hs_ssh_version
}
