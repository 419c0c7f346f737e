import { Type, type Static } from "@sinclair/typebox";
import { Bool, isUnknown, Known, Nullable, Num, Str, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

/** One node of `lsblk -J`, flattened (a device with several parents appears once per parent). */
export const BlockDevice = Type.Object({
  name: Str,
  path: Str,
  type: Str, // disk, part, crypt, lvm, loop, rom, raid1…
  fstype: Nullable(Str),
  mountpoints: StrList,
  /** Parent device name, or null for a top-level disk. */
  parent: Nullable(Str),
  size: Nullable(Num),
});

export const Filesystem = Type.Object({
  mountpoint: Str,
  source: Str,
  fstype: Str,
  /**
   * Pseudo and virtual filesystems (proc, sysfs, tmpfs, cgroup, squashfs images…) hold no data at rest
   * of their own. overlay is not pseudo: its chain and encryption are those of the filesystem holding
   * its upperdir (unknown inside a container, where that filesystem is not visible).
   */
  pseudo: Bool,
  /** Device chain from the mounted device up to the disk, e.g. ["vg-root (lvm)", "cryptroot (crypt)", "sda2 (part)", "sda (disk)"]; [] for pseudo filesystems. */
  chain: StrList,
  /**
   * A dm-crypt/LUKS layer sits in the chain (in every chain, for a device with several parents); false
   * for pseudo filesystems. Unknown for network filesystems and sources lsblk does not list.
   */
  encrypted: Known(Bool),
  /**
   * Every mount point of this backing device, in mount order (bind mounts such as a container's
   * /etc/hosts, /etc/passwd included); listed on the device's first mount only.
   */
  mountpoints: Type.Optional(StrList),
  /** A later mount of a device already listed (a bind mount or a repeat): judged with the first one. */
  duplicate: Type.Optional(Bool),
  /** `DEVICE at MOUNTPOINT, MOUNTPOINT…` (or the mount point alone for filesystems without a device). */
  label: Type.Optional(Str),
});

/** One active swap area from /proc/swaps. */
export const Swap = Type.Object({
  source: Str,
  type: Str, // partition, file
  chain: StrList,
  /** A dm-crypt layer sits in the chain (a swap file: the chain of the filesystem holding it). */
  encrypted: Known(Bool),
  /** Compressed RAM swap (zram): nothing reaches a disk. */
  inMemory: Bool,
});

export const Storage = Type.Object({
  blockDevices: Known(Type.Array(BlockDevice)),
  filesystems: Known(Type.Array(Filesystem)),
  swap: Known(Type.Array(Swap)),
  /** /etc/crypttab entries; [] when the file is absent. */
  crypttab: Known(Type.Array(Type.Object({ name: Str, device: Str, options: StrList }))),
});

type BlockDeviceFacts = Static<typeof BlockDevice>;
type FilesystemFacts = Static<typeof Filesystem>;
type SwapFacts = Static<typeof Swap>;
export type StorageFacts = Static<typeof Storage>;

/** Filesystems that hold no data at rest of their own (kernel views, memory, unions of other mounts). */
const PSEUDO = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "securityfs", "cgroup", "cgroup2", "pstore", "bpf",
  "debugfs", "tracefs", "configfs", "fusectl", "hugetlbfs", "mqueue", "autofs", "binfmt_misc", "efivarfs",
  "rpc_pipefs", "nsfs", "squashfs", "selinuxfs", "fuse.lxcfs", "fuse.portal", "fuse.gvfsd-fuse",
  "nfsd", "rootfs", "aufs", "shm", "cpuset", "zram",
]);
const NETWORK = new Set(["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "virtiofs", "fuse.sshfs", "ceph", "glusterfs", "fuse.glusterfs"]);

interface RawNode {
  name?: unknown;
  kname?: unknown;
  path?: unknown;
  type?: unknown;
  fstype?: unknown;
  mountpoints?: unknown;
  mountpoint?: unknown;
  pkname?: unknown;
  size?: unknown;
  children?: unknown;
}

/** One occurrence of a device in the lsblk tree, with the names of its ancestors (nearest first). */
interface Occurrence {
  dev: BlockDeviceFacts;
  ancestors: BlockDeviceFacts[];
  /** Kernel name (dm-1), when lsblk printed KNAME. */
  kname: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function toDevice(n: RawNode, parent: string | null): BlockDeviceFacts {
  const name = str(n.name) ?? str(n.kname) ?? "?";
  const mps = Array.isArray(n.mountpoints) ? n.mountpoints : [n.mountpoint];
  const size = typeof n.size === "number" ? n.size : typeof n.size === "string" && /^\d+$/.test(n.size) ? Number(n.size) : null;
  return {
    name,
    path: str(n.path) ?? `/dev/${str(n.kname) ?? name}`,
    type: str(n.type) ?? "",
    fstype: str(n.fstype),
    mountpoints: mps.filter((m): m is string => typeof m === "string" && m !== ""),
    parent: str(n.pkname) ?? parent,
    size,
  };
}

/** Parses `lsblk -J` into every occurrence of every device (a device under two parents occurs twice). */
export function parseLsblk(json: string): Occurrence[] {
  const doc = JSON.parse(json) as { blockdevices?: unknown };
  if (!Array.isArray(doc.blockdevices)) throw new Error("no blockdevices array");
  const out: Occurrence[] = [];
  const walk = (nodes: unknown[], ancestors: BlockDeviceFacts[]) => {
    for (const raw of nodes) {
      if (typeof raw !== "object" || raw === null) continue;
      const node = raw as RawNode;
      const dev = toDevice(node, ancestors[0]?.name ?? null);
      out.push({ dev, ancestors, kname: str(node.kname) });
      if (Array.isArray(node.children)) walk(node.children, [dev, ...ancestors]);
    }
  };
  walk(doc.blockdevices, []);
  return out;
}

const label = (d: BlockDeviceFacts) => `${d.name} (${d.type})`;
const hasCrypt = (o: Occurrence) => o.dev.type === "crypt" || o.ancestors.some((a) => a.type === "crypt");

/** /proc/self/mounts (octal escapes such as \040 decoded). */
export function parseMounts(text: string): { source: string; mountpoint: string; fstype: string; options: string[] }[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split("\n")
    .map((l) => l.split(" "))
    .filter((f) => f.length >= 3)
    .map((f) => ({
      source: unescape(f[0] ?? ""),
      mountpoint: unescape(f[1] ?? ""),
      fstype: f[2] ?? "",
      options: (f[3] ?? "").split(",").map(unescape),
    }));
}

/** The non-pseudo, non-overlay filesystem holding `path`: the longest mountpoint prefix. */
function holderOf<T extends { mountpoint: string; pseudo: boolean; fstype: string }>(all: T[], path: string): T | undefined {
  return all
    .filter((f) => !f.pseudo && f.fstype !== "overlay")
    .filter((f) => path === f.mountpoint || path.startsWith(f.mountpoint === "/" ? "/" : `${f.mountpoint}/`))
    .sort((a, b) => b.mountpoint.length - a.mountpoint.length)[0];
}

/** /proc/swaps (header line skipped). */
export function parseSwaps(text: string): { source: string; type: string }[] {
  return text
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 2 && f[0])
    .map((f) => ({ source: (f[0] ?? "").replace(/\\040/g, " "), type: f[1] ?? "" }));
}

/** /etc/crypttab: name device [keyfile [options]]. */
export function parseCrypttab(text: string): { name: string; device: string; options: string[] }[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/\s+/))
    .filter((f) => f.length >= 2)
    .map((f) => ({ name: f[0] ?? "", device: f[1] ?? "", options: f[3] ? f[3].split(",") : [] }));
}

function chainFacts(occ: Occurrence[]): { chain: string[]; encrypted: boolean } {
  const first = occ[0] as Occurrence;
  return { chain: [first.dev, ...first.ancestors].map(label), encrypted: occ.every(hasCrypt) };
}

/** Finds the lsblk occurrences of a mounted filesystem: by mountpoint, else by device path or name. */
function findDevice(all: Occurrence[], source: string, mountpoint: string | null): Occurrence[] {
  if (mountpoint !== null) {
    const byMount = all.filter((o) => o.dev.mountpoints.includes(mountpoint));
    if (byMount.length > 0) {
      const name = byMount[0]?.dev.name;
      return byMount.filter((o) => o.dev.name === name);
    }
  }
  const byPath = all.filter((o) => o.dev.path === source || `/dev/${o.dev.name}` === source);
  if (byPath.length > 0) return byPath;
  return all.filter((o) => o.kname !== null && `/dev/${o.kname}` === source);
}

export function parseStorage(probe: ProbeOutput): StorageFacts {
  const lsblkText = probe.text("lsblk", "lsblk");
  let occurrences: Occurrence[] | Unknown;
  if (typeof lsblkText === "string") {
    try {
      occurrences = parseLsblk(lsblkText);
    } catch (err) {
      occurrences = unknown(`lsblk output not understood: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else occurrences = lsblkText;

  let blockDevices: BlockDeviceFacts[] | Unknown;
  if (isUnknown(occurrences)) blockDevices = occurrences;
  else {
    const seen = new Set<string>();
    blockDevices = [];
    for (const o of occurrences) {
      const key = `${o.dev.name}\u0000${o.dev.parent ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      blockDevices.push(o.dev);
    }
  }

  const mountsText = probe.text("mounts", "/proc/self/mounts");
  let filesystems: FilesystemFacts[] | Unknown;
  const mounts = typeof mountsText === "string" ? parseMounts(mountsText) : null;
  if (mounts === null) filesystems = mountsText as Unknown;
  else {
    filesystems = mounts.map((m) => {
      const pseudo = PSEUDO.has(m.fstype) || m.fstype.startsWith("fuse.") && !m.source.startsWith("/dev/");
      const base = { mountpoint: m.mountpoint, source: m.source, fstype: m.fstype, pseudo };
      if (pseudo) return { ...base, chain: [], encrypted: false };
      if (m.fstype === "overlay") return { ...base, chain: [], encrypted: unknown("overlay: resolved below") };
      if (NETWORK.has(m.fstype)) {
        return { ...base, chain: [], encrypted: unknown(`network filesystem (${m.fstype}): encryption at rest is the server's`) };
      }
      if (isUnknown(occurrences)) return { ...base, chain: [], encrypted: unknown(`block devices unknown: ${occurrences.reason}`) };
      const occ = findDevice(occurrences, m.source, m.mountpoint);
      if (occ.length === 0) {
        return { ...base, chain: [], encrypted: unknown(`${m.source} is not a block device lsblk lists`) };
      }
      return { ...base, ...chainFacts(occ) };
    });
  }

  // An overlay's written data lives in its upperdir: as encrypted as the filesystem holding that.
  if (Array.isArray(filesystems) && mounts) {
    const fsList = filesystems;
    filesystems = fsList.map((f, i) => {
      if (f.fstype !== "overlay") return f;
      const upper = mounts[i]?.options.find((o) => o.startsWith("upperdir="))?.slice("upperdir=".length);
      if (!upper) return { ...f, encrypted: unknown("overlay without a visible upperdir (read-only layers only)") };
      const holder = holderOf(fsList, upper);
      if (!holder) {
        return { ...f, encrypted: unknown(`overlay upperdir ${upper} is outside this mount namespace (container?): check the host`) };
      }
      return { ...f, chain: holder.chain, encrypted: holder.encrypted };
    });
  }

  // A device mounted more than once (bind mounts: a container's /etc/hosts, /etc/passwd…) is one
  // filesystem: named once, on its first mount, with every mount point.
  if (Array.isArray(filesystems)) {
    const first = new Map<string, FilesystemFacts>();
    filesystems = filesystems.map((f) => {
      if (f.pseudo || !f.source.startsWith("/dev/")) return { ...f, mountpoints: [f.mountpoint], duplicate: false, label: f.mountpoint };
      const key = `${f.source}\u0000${f.fstype}`;
      const owner = first.get(key);
      if (owner) {
        owner.mountpoints!.push(f.mountpoint);
        owner.label = `${owner.source} at ${owner.mountpoints!.join(", ")}`;
        return { ...f, mountpoints: [], duplicate: true, label: `${f.source} at ${f.mountpoint} (see its first mount)` };
      }
      const own = { ...f, mountpoints: [f.mountpoint], duplicate: false, label: `${f.source} at ${f.mountpoint}` };
      first.set(key, own);
      return own;
    });
  }

  const swapsText = probe.text("swaps", "/proc/swaps");
  let swap: SwapFacts[] | Unknown;
  if (typeof swapsText !== "string") swap = swapsText;
  else {
    swap = parseSwaps(swapsText).map((s) => {
      const inMemory = /^\/dev\/zram\d+$/.test(s.source);
      const base = { source: s.source, type: s.type, inMemory };
      if (isUnknown(occurrences)) return { ...base, chain: [], encrypted: unknown(`block devices unknown: ${occurrences.reason}`) };
      if (s.type === "file") {
        // A swap file is as encrypted as the filesystem holding it: the longest mountpoint prefix.
        const holder = Array.isArray(filesystems) ? holderOf(filesystems, s.source) : undefined;
        if (!holder) return { ...base, chain: [], encrypted: unknown(`filesystem holding ${s.source} not found`) };
        return { ...base, chain: holder.chain, encrypted: holder.encrypted };
      }
      const occ = findDevice(occurrences, s.source, null);
      if (occ.length === 0) return { ...base, chain: [], encrypted: unknown(`${s.source} is not a block device lsblk lists`) };
      return { ...base, ...chainFacts(occ) };
    });
  }

  const ct = probe.files("crypttab", "/etc/crypttab");
  let crypttab: StorageFacts["crypttab"];
  if (!Array.isArray(ct)) crypttab = ct;
  else if (ct.some((f) => f.denied)) crypttab = unknown("/etc/crypttab not readable");
  else crypttab = ct.flatMap((f) => parseCrypttab(f.content));

  return { blockDevices, filesystems, swap, crypttab };
}

/** The `storage` probe section: storage.sh beside this module, parsed by parseStorage. */
export const storageSection = defineSection({
  key: "storage",
  schema: Storage,
  source: "lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINTS,PKNAME,SIZE; /proc/self/mounts; /proc/swaps; /etc/crypttab",
  script: new URL("./storage.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseStorage(probe),
  doc: {
    heading: "`lsblk -J -b -o NAME,KNAME,PATH,TYPE,FSTYPE,MOUNTPOINTS,PKNAME,SIZE`, `/proc/self/mounts`, `/proc/swaps`, `/etc/crypttab`",
    body: [
      "| fact | meaning |",
      "|---|---|",
      "| `blockDevices[]` | `{name, path, type, fstype, mountpoints[], parent, size}` per lsblk node (older util-linux: MOUNTPOINT / KNAME columns) |",
      "| `filesystems[]` | every mount: `{mountpoint, source, fstype, pseudo, chain[], encrypted}` |",
      "| `filesystems[].pseudo` | proc, sysfs, tmpfs, cgroup, squashfs… (no data at rest of their own). overlay is not pseudo: it takes the chain of the filesystem holding its `upperdir` (unknown in a container, where that is not visible) |",
      "| `filesystems[].chain` | device chain from the mounted device to the disk, e.g. `[\"cryptroot (crypt)\", \"vg-root (lvm)\", \"nvme0n1p2 (part)\", \"nvme0n1 (disk)\"]` |",
      "| `filesystems[].encrypted` | a `crypt` layer is in the chain (for a device with several parents, in every one of its chains); `false` for pseudo filesystems; unknown for network filesystems (nfs, cifs, 9p…) and sources lsblk does not list |",
      "| `swap[]` | `{source, type, chain[], encrypted, inMemory}`; a swap file takes the chain of the filesystem holding it; `inMemory` for zram |",
      "| `crypttab[]` | `{name, device, options[]}`; `[]` when the file is absent |",
    ].join("\n"),
  },
});
