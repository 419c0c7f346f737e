# hipaa-scan POSIX probe, macOS section `screensaver` (parsed by screensaver.ts).

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

hs_macos_screensaver() {
  hs_sec screensaver - hs_mac_screensaver
  hs_sec screenlock sysadminctl sysadminctl -screenLock status
}
