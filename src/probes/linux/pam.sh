# hipaa-scan POSIX probe, Linux section `pam` (parsed by pam.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_linux_pam() {
  hs_files pam nocomment /etc/pam.d/common-auth /etc/pam.d/common-password /etc/pam.d/common-account \
    /etc/pam.d/system-auth /etc/pam.d/password-auth /etc/pam.d/sshd /etc/pam.d/login
  hs_files faillock nocomment /etc/security/faillock.conf
  hs_files pwquality nocomment /etc/security/pwquality.conf /etc/security/pwquality.conf.d/*.conf
}
