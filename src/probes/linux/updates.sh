# hipaa-scan POSIX probe, Linux section `updates` (parsed by updates.ts; it runs beside the rest of the probe, see probe_linux). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

# Pending upgrades from apt's local metadata; nothing is locked, downloaded or changed.
# `apt list --upgradable` is about four times faster than simulating a dist-upgrade (no resolver),
# which keeps the probe within its time budget; `apt-get -s` is the fallback where `apt` is missing.
hs_apt() {
  if hs_have apt; then
    echo "tool=apt-list"
    hs_t apt list --upgradable 2>/dev/null
    hs_ar=$?
  else
    echo "tool=apt-get"
    hs_ao=$(hs_t apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>&1)
    hs_ar=$?
    printf '%s\n' "$hs_ao" | grep -E '^(Inst |E: |W: )'
  fi
  echo "lists-updated=$(stat -c %Y /var/lib/apt/lists/*Release 2>/dev/null | sort -n | tail -n 1)"
  return $hs_ar
}

# Which archives are security archives: the header of each downloaded Release file (reading them
# costs nothing, where `apt-cache policy` would rebuild apt's cache a second time).
hs_apt_releases() {
  grep -H -E '^(Origin|Label|Suite|Codename):' /var/lib/apt/lists/*Release 2>/dev/null
  return 0
}

# -C: cache only, so the probe never downloads metadata (and stays fast).
hs_dnf_security() { hs_t dnf -q -C updateinfo list --security; }

hs_dnf_updates() { hs_t dnf -q -C check-update; }

hs_linux_updates() {
  if hs_have apt-get; then
    hs_sec apt apt-get hs_apt
    hs_sec apt-releases - hs_apt_releases
  else
    hs_sec apt apt-get true
  fi
  if hs_have dnf; then
    hs_sec dnf-security dnf hs_dnf_security
    hs_sec dnf-updates dnf hs_dnf_updates
  fi
}
