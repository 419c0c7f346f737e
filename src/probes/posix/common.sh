# hipaa-scan POSIX probe: shared helpers and OS dispatch. The sections are fragments beside their
# parsers (src/probes/linux/*.sh, src/probes/macos/*.sh, src/probes/posix/sshd.sh), listed in each
# platform's sections.ts; src/probes/script.ts joins them and writes probe_linux and probe_macos.
#
# The TypeScript side (src/probes/script.ts) prepends `HS_MARK='@@hs:<random nonce>'` and appends
# `hs_main`. The script is fed to `sh -s` on stdin. It writes nothing to disk and needs no bash.
#
# Output grammar (every marker is a whole line preceded by an extra newline, which the splitter
# removes, so section content is byte-exact even when a command ends without a newline):
#   <MARK> begin <section>
#   <stdout of the command, or per-file blocks introduced by "<MARK> file <path> [denied]">
#   <MARK> stderr <section>        (only when the command wrote to stderr; first 2000 bytes)
#   <MARK> end <section> rc=<exit code> [missing=<program>] [skipped=<reason>]
# Remote file contents cannot forge a marker because they cannot know the nonce.

LC_ALL=C
export LC_ALL
LANG=C
export LANG
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin:/bin"
export PATH
hs_nl='
'
hs_uid=$(id -u 2>/dev/null)
if command -v timeout >/dev/null 2>&1; then hs_to=timeout; else hs_to=; fi

hs_mk() { printf '\n%s %s\n' "$HS_MARK" "$*"; }

# hs_t COMMAND…: run a program under the probe's per-command time limit (when `timeout` exists).
hs_t() { $hs_to ${hs_to:+20} "$@"; }

hs_have() { command -v "$1" >/dev/null 2>&1; }

# hs_sec SECTION REQUIRED-PROGRAM|- COMMAND [ARGS…]
# Runs COMMAND (a program, or a shell function named hs_*) with stdin from /dev/null, so nothing can
# read the rest of this script; reports its exit code and stderr.
hs_sec() {
  hs_n=$1
  hs_req=$2
  shift 2
  hs_mk begin "$hs_n"
  if [ "$hs_req" != - ] && ! hs_have "$hs_req"; then
    hs_mk end "$hs_n" rc=127 "missing=$hs_req"
    return 0
  fi
  exec 3>&1
  case $1 in
    hs_*) hs_e=$( { "$@" </dev/null 3>&-; } 2>&1 1>&3; printf '\n%s' "$?") ;;
    *) hs_e=$( { $hs_to ${hs_to:+20} "$@" </dev/null 3>&-; } 2>&1 1>&3; printf '\n%s' "$?") ;;
  esac
  exec 3>&-
  hs_rc=${hs_e##*"$hs_nl"}
  hs_e=${hs_e%"$hs_nl"*}
  if [ -n "$hs_e" ]; then
    hs_mk stderr "$hs_n"
    printf '%.2000s' "$hs_e"
  fi
  hs_mk end "$hs_n" "rc=$hs_rc"
}

# hs_skip SECTION REASON: the section was deliberately not run (e.g. needs root).
hs_skip() {
  hs_mk begin "$1"
  hs_mk end "$1" rc=0 "skipped=$2"
}

hs_root() { [ "$hs_uid" = 0 ]; }

# hs_cat_one MODE FILE: print FILE as its own block inside a files section.
hs_cat_one() {
  [ -f "$2" ] || return 0
  if [ ! -r "$2" ]; then
    hs_mk file "$2" denied
    return 0
  fi
  hs_mk file "$2"
  case $1 in
    cat) cat -- "$2" ;;
    nocomment) grep -v -E '^[[:space:]]*(#|;|$)' -- "$2" ;;
    sudoers) grep -v -E '^[[:space:]]*(#[^i@]|#$|$)' -- "$2" ;;
    grep:*) grep -e "${1#grep:}" -- "$2" ;;
  esac </dev/null
  return 0
}

# hs_files SECTION MODE FILE…: a section made of files (globs that matched nothing are skipped).
hs_files() {
  hs_n=$1
  hs_m=$2
  shift 2
  hs_mk begin "$hs_n"
  for hs_f in "$@"; do
    hs_cat_one "$hs_m" "$hs_f"
  done
  hs_mk end "$hs_n" rc=0
}

# Programs whose presence is a fact ("installed"); one name=path line each. Linux and macOS.
hs_presence() {
  for hs_p in sshd ssh auditd auditctl aide aideinit gnome-shell chronyd chronyc ntpd timedatectl nft iptables \
    ufw firewall-cmd apt-get dnf yum rpm dpkg mokutil lastlog lastlog2 last getent useradd rsyslogd syslog-ng \
    systemctl lsblk ip; do
    hs_w=$(command -v "$hs_p" 2>/dev/null) && echo "$hs_p=$hs_w"
  done
  return 0
}

hs_ident() {
  echo "uid=$hs_uid"
  echo "user=$(id -un 2>/dev/null)"
  echo "os=$(uname -s)"
  echo "kernel=$(uname -r)"
  echo "arch=$(uname -m)"
  echo "hostname=$(uname -n)"
}

hs_main() {
  hs_sec ident - hs_ident
  case $(uname -s) in
    Linux) probe_linux ;;
    Darwin) probe_macos ;;
    *) hs_skip unsupported "os=$(uname -s)" ;;
  esac
  hs_mk done
}
