import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { parseCrypttab, parseLsblk, parseMounts, parseStorage } from "../../../src/probes/linux/storage.js";
import { channelTimeoutSession, parseSshd, parseSshTime } from "../../../src/probes/linux/sshd.js";
import { ProbeOutput } from "../../../src/probes/linux/probe-output.js";
import { splitSections } from "../../../src/probes/sections.js";
import { fixtureText, loadProbe } from "./helpers.js";

describe("storage", () => {
  it("maps / to its disk and flags pseudo filesystems (real capture, unencrypted VM)", () => {
    const s = parseStorage(loadProbe("debian12-root"));
    if (isUnknown(s.filesystems) || isUnknown(s.blockDevices) || isUnknown(s.swap)) throw new Error("unknown");
    const root = s.filesystems.find((f) => f.mountpoint === "/");
    expect(root).toMatchObject({ source: "/dev/vda", fstype: "ext4", pseudo: false, chain: ["vda (disk)"], encrypted: false });
    for (const f of s.filesystems.filter((x) => ["proc", "sysfs", "tmpfs", "cgroup2"].includes(x.fstype))) {
      expect(f.pseudo).toBe(true);
    }
    expect(s.blockDevices.find((d) => d.name === "vda")).toMatchObject({ type: "disk", parent: null, size: 274877906944 });
    expect(s.crypttab).toEqual([]);
    expect(s.swap).toEqual([]);
  });

  it("gives an overlay the chain of the filesystem holding its upperdir (hardened capture: /etc overlay on /tmp)", () => {
    const s = parseStorage(loadProbe("debian12-hardened"));
    if (isUnknown(s.filesystems)) throw new Error(s.filesystems.reason);
    const etc = s.filesystems.find((f) => f.mountpoint === "/etc");
    expect(etc).toMatchObject({ fstype: "overlay", pseudo: false, chain: ["vda (disk)"], encrypted: false });
  });

  it("follows a published LUKS-on-LVM tree: crypt layers found, unencrypted ESP not", () => {
    const occ = parseLsblk(fixtureText("public/lsblk-luks-on-lvm-nixos.json"));
    const root = occ.find((o) => o.dev.name === "cryptroot");
    expect(root?.dev).toMatchObject({ type: "crypt", fstype: "btrfs", parent: "tokyonightvg-root", mountpoints: ["/etc/NetworkManager/system-connections"] });
    expect([root?.dev, ...(root?.ancestors ?? [])].map((d) => `${d?.name} (${d?.type})`)).toEqual([
      "cryptroot (crypt)",
      "tokyonightvg-root (lvm)",
      "nvme0n1p2 (part)",
      "nvme0n1 (disk)",
    ]);
    const swap = occ.find((o) => o.dev.name === "dev-tokyonightvg-swap");
    expect(swap?.dev.type).toBe("crypt");
    expect(swap?.dev.mountpoints).toEqual(["[SWAP]"]);
    const esp = occ.find((o) => o.dev.name === "nvme0n1p1");
    expect(esp?.ancestors.some((a) => a.type === "crypt")).toBe(false);
  });

  it("marks filesystems and swap on a crypt layer as encrypted (published lsblk + mount lines written to match it)", () => {
    // lsblk is the published capture; the mounts and swaps lines are ours, naming its devices.
    const mark = "@@hs:" + "a".repeat(32);
    const section = (name: string, body: string) => `\n${mark} begin ${name}\n${body}\n${mark} end ${name} rc=0\n`;
    const output =
      section("lsblk", fixtureText("public/lsblk-luks-on-lvm-nixos.json")) +
      section("mounts", "/dev/mapper/cryptroot /etc/NetworkManager/system-connections btrfs rw 0 0\n/dev/nvme0n1p1 /boot vfat rw 0 0\nproc /proc proc rw 0 0\n") +
      section("swaps", "Filename\tType\tSize\tUsed\tPriority\n/dev/dm-1                               partition\t15728636\t0\t-2\n/dev/mapper/dev-tokyonightvg-swap partition\t15728636\t0\t-2\n") +
      `\n${mark} begin crypttab\n\n${mark} end crypttab rc=0\n\n${mark} done\n`;
    const s = parseStorage(new ProbeOutput(splitSections(output, mark), 0));
    if (isUnknown(s.filesystems) || isUnknown(s.swap)) throw new Error("unknown");
    expect(s.filesystems.find((f) => f.mountpoint === "/etc/NetworkManager/system-connections")).toMatchObject({
      encrypted: true,
      chain: ["cryptroot (crypt)", "tokyonightvg-root (lvm)", "nvme0n1p2 (part)", "nvme0n1 (disk)"],
    });
    expect(s.filesystems.find((f) => f.mountpoint === "/boot")).toMatchObject({ encrypted: false, chain: ["nvme0n1p1 (part)", "nvme0n1 (disk)"] });
    expect(s.filesystems.find((f) => f.mountpoint === "/proc")).toMatchObject({ pseudo: true });
    const swap = s.swap.find((x) => x.source === "/dev/mapper/dev-tokyonightvg-swap");
    expect(swap).toMatchObject({ encrypted: true, inMemory: false });
    // /proc/swaps names dm devices by kernel name; this published capture has no KNAME column, so
    // /dev/dm-1 stays unknown rather than guessed (the probe asks lsblk for KNAME).
    expect(isUnknown(s.swap.find((x) => x.source === "/dev/dm-1")?.encrypted)).toBe(true);
  });

  it("decodes octal escapes in /proc/self/mounts", () => {
    expect(parseMounts("/dev/sdb1 /media/My\\040Disk vfat rw,relatime 0 0\n")).toEqual([
      { source: "/dev/sdb1", mountpoint: "/media/My Disk", fstype: "vfat", options: ["rw", "relatime"] },
    ]);
  });

  it("reads crypttab name, device and options", () => {
    expect(parseCrypttab("# comment\ncryptroot UUID=abc none luks,discard\n")).toEqual([
      { name: "cryptroot", device: "UUID=abc", options: ["luks", "discard"] },
    ]);
  });
});

describe("sshd", () => {
  it("reads effective values from sshd -T as root (hardened capture)", () => {
    const s = parseSshd(loadProbe("debian12-hardened"));
    expect(s).toMatchObject({
      installed: true,
      method: "sshd -T",
      permitRootLogin: "no",
      passwordAuthentication: false,
      kbdInteractiveAuthentication: false,
      clientAliveInterval: 300,
      clientAliveCountMax: 0,
      channelTimeoutSession: 900,
      unusedConnectionTimeout: 3600,
      maxAuthTries: 4,
      logLevel: "VERBOSE",
      ciphers: ["aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr"],
    });
    expect(s.version).toMatch(/^OpenSSH_9\.2/);
  });

  it("reads the config with its Include drop-in when not root, skipping Match blocks", () => {
    const s = parseSshd(loadProbe("debian12-hardened-nonroot"));
    expect(s).toMatchObject({
      method: "config",
      permitRootLogin: "no",
      passwordAuthentication: false,
      usePam: true,
      clientAliveCountMax: 0,
      channelTimeoutSession: 900,
      unusedConnectionTimeout: 3600,
      macs: ["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com"],
    });
    // Debian's own sshd_config says X11Forwarding yes.
    expect(s.x11Forwarding).toBe(true);
    // Not set in any file: OpenSSH's default applies for stable settings, algorithm lists stay unknown.
    expect(s.permitEmptyPasswords).toBe(false);
    expect(s.clientAliveInterval).toBe(300);
    expect(isUnknown(s.kexAlgorithms)).toBe(true);
  });

  it("reports no channel timeout on a stock Debian sshd", () => {
    const s = parseSshd(loadProbe("debian12-root"));
    expect(s.channelTimeoutSession).toBeNull();
    expect(s.unusedConnectionTimeout).toBeNull();
    expect(s.clientAliveInterval).toBe(0);
    // sshd -T prints the old alias without-password; the fact uses the current name.
    expect(s.permitRootLogin).toBe("prohibit-password");
  });

  it("parses OpenSSH time formats and ChannelTimeout lists", () => {
    expect(parseSshTime("15m")).toBe(900);
    expect(parseSshTime("1h30m")).toBe(5400);
    expect(parseSshTime("600")).toBe(600);
    expect(parseSshTime("1W")).toBe(604800);
    expect(parseSshTime("soon")).toBeNull();
    expect(channelTimeoutSession("agent-connection=1h session:shell=10m *=2h")).toBe(600);
    expect(channelTimeoutSession("direct-tcpip=5m")).toBeNull();
    expect(channelTimeoutSession("none")).toBeNull();
    expect(channelTimeoutSession("global=20m session=0")).toBe(1200);
  });
});

describe("storage: bind-mounted files (real capture, fixtures/linux/bind-mounts)", () => {
  it("names the backing device once, with every mount point, and marks the bind mounts as repeats", () => {
    const mark = "@@hs:" + "b".repeat(32);
    const section = (name: string, body: string) => `\n${mark} begin ${name}\n${body}\n${mark} end ${name} rc=0\n`;
    const output =
      section("lsblk", fixtureText("bind-mounts/lsblk.json")) +
      section("mounts", fixtureText("bind-mounts/mounts.txt")) +
      section("swaps", fixtureText("bind-mounts/swaps.txt")) +
      `\n${mark} begin crypttab\n\n${mark} end crypttab rc=0\n\n${mark} done\n`;
    const s = parseStorage(new ProbeOutput(splitSections(output, mark), 0));
    if (isUnknown(s.filesystems)) throw new Error(s.filesystems.reason);
    const vda = s.filesystems.filter((f) => f.source === "/dev/vda");
    expect(vda.map((f) => [f.mountpoint, f.duplicate])).toEqual([
      ["/", false], ["/run/netns", true], ["/etc/passwd", true], ["/etc/shadow", true], ["/etc/group", true], ["/etc/hosts", true],
    ]);
    expect(vda[0]).toMatchObject({
      mountpoints: ["/", "/run/netns", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts"],
      label: "/dev/vda at /, /run/netns, /etc/passwd, /etc/shadow, /etc/group, /etc/hosts",
      encrypted: false,
    });
    // Judged once: the only unencrypted, non-repeat disk filesystem is the device itself.
    const judged = s.filesystems.filter((f) => !f.pseudo && f.duplicate === false && f.encrypted === false);
    expect(judged.map((f) => f.label)).toEqual(["/dev/vda at /, /run/netns, /etc/passwd, /etc/shadow, /etc/group, /etc/hosts"]);
  });
});
