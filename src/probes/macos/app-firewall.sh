# hipaa-scan POSIX probe, macOS section `appFirewall` (parsed by app-firewall.ts; firewall.ts reads
# the same global state).

hs_mac_fw=/usr/libexec/ApplicationFirewall/socketfilterfw

hs_macos_app_firewall() {
  hs_sec fw-global "$hs_mac_fw" "$hs_mac_fw" --getglobalstate
  hs_sec fw-stealth "$hs_mac_fw" "$hs_mac_fw" --getstealthmode
}
