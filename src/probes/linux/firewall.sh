# hipaa-scan POSIX probe, Linux section `firewall` (parsed by firewall.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_firewalld() {
  if grep -qx firewalld /proc/[0-9]*/comm 2>/dev/null; then hs_t firewall-cmd --state; else echo "firewalld not running"; fi
}

hs_linux_firewall() {
  if hs_root; then
    hs_sec nft nft nft list ruleset
    hs_sec iptables iptables iptables -S
    # ufw is a Python program (~0.2 s): only asked when its config says it is enabled.
    if grep -qs '^ENABLED=yes' /etc/ufw/ufw.conf; then hs_sec ufw ufw ufw status verbose; else hs_skip ufw disabled-in-ufw.conf; fi
  else
    hs_skip nft needs-root
    hs_skip iptables needs-root
    hs_skip ufw needs-root
  fi
  hs_files ufw-conf nocomment /etc/ufw/ufw.conf
  hs_sec firewalld firewall-cmd hs_firewalld
}
