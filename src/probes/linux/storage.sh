# hipaa-scan POSIX probe, Linux section `storage` (parsed by storage.ts). Fragments are joined by src/probes/script.ts;
# helpers shared by every section are in src/probes/posix/common.sh.

# lsblk: MOUNTPOINTS needs util-linux 2.37, PATH 2.33; older versions get the older columns. KNAME
# (dm-1) is how /proc/swaps names device-mapper swap.
hs_lsblk() {
  lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINTS,PKNAME,SIZE 2>/dev/null ||
    lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINT,PKNAME,SIZE 2>/dev/null ||
    lsblk -J -b -o NAME,KNAME,TYPE,FSTYPE,MOUNTPOINT,PKNAME,SIZE
}

hs_linux_storage() {
  hs_sec lsblk lsblk hs_lsblk
  hs_sec mounts - cat /proc/self/mounts
  hs_sec swaps - cat /proc/swaps
  hs_files crypttab cat /etc/crypttab
}
