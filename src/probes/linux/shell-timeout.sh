# hipaa-scan POSIX probe, Linux section `shell` (parsed by shell-timeout.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_linux_shell_timeout() {
  hs_files tmout grep:TMOUT /etc/profile /etc/profile.d/*.sh /etc/bash.bashrc /etc/bashrc /etc/zsh/zshenv /etc/zshenv
}
