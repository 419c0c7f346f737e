# hipaa-scan POSIX probe, Linux section `gnome` (parsed by gnome.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

hs_linux_gnome() {
  hs_files dconf nocomment /etc/dconf/db/*.d/*
  hs_files dconf-locks nocomment /etc/dconf/db/*.d/locks/*
}
