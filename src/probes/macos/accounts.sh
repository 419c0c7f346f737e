# hipaa-scan POSIX probe, macOS section `accounts` (parsed by accounts.ts).

hs_macos_accounts() {
  hs_sec dscl-uid dscl dscl . -list /Users UniqueID
  hs_sec dscl-gid dscl dscl . -list /Users PrimaryGroupID
  hs_sec dscl-shell dscl dscl . -list /Users UserShell
  hs_sec dscl-home dscl dscl . -list /Users NFSHomeDirectory
  hs_sec dscl-admin dscl dscl . -read /Groups/admin GroupMembership
}
