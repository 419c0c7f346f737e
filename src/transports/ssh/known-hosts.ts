import { createHash, createHmac } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * known_hosts handling the way OpenSSH does it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): host
 * pattern lists with `*`/`?` wildcards and `!` negation, `[host]:port` for non-22 ports, hashed
 * names (`|1|base64(salt)|base64(HMAC-SHA1(salt, name))`), and the `@revoked` /
 * `@cert-authority` markers. Host certificates are not supported by ssh2, so `@cert-authority`
 * lines never vouch for a key (the host is then treated as unknown, with a hint).
 */

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: "revoked" | "cert-authority" | null;
  /** Comma-separated patterns, or one hashed name. */
  hosts: string;
  keyType: string;
  /** The key blob (SSH wire format), as in the file's base64 field. */
  key: Buffer;
}

export type HostKeyVerdict =
  | { kind: "match"; entry: KnownHostEntry }
  | { kind: "revoked"; entry: KnownHostEntry }
  | { kind: "changed"; known: KnownHostEntry[] }
  | { kind: "unknown"; certAuthorityOnly: boolean };

/** Parses known_hosts text; malformed lines are skipped as OpenSSH does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const fields = raw.split(/\s+/);
    let marker: KnownHostEntry["marker"] = null;
    if (fields[0]?.startsWith("@")) {
      const m = fields.shift()!;
      if (m === "@revoked") marker = "revoked";
      else if (m === "@cert-authority") marker = "cert-authority";
      else continue;
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) continue;
    const key = Buffer.from(b64, "base64");
    if (key.length < 8 || blobKeyType(key) !== keyType) continue;
    out.push({ file, line: i + 1, marker, hosts, keyType, key });
  }
  return out;
}

/** The key type named inside an SSH public key blob (its first string). */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString("latin1");
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

const globCache = new Map<string, RegExp>();

function globMatches(pattern: string, name: string): boolean {
  // Most patterns are plain names: compare them without building a regular expression.
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name;
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "i");
    if (globCache.size < 10_000) globCache.set(pattern, re);
  }
  return re.test(name);
}

function hashedMatch(entry: string, name: string): boolean {
  const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(entry);
  if (!m) return false;
  const salt = Buffer.from(m[1]!, "base64");
  const want = Buffer.from(m[2]!, "base64");
  const got = createHmac("sha1", salt).update(name).digest();
  return got.length === want.length && got.equals(want);
}

/** True when the entry's host field names `name` (already in `[host]:port` form when needed). */
export function hostsFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith("|")) return hashedMatch(hosts, name);
  let positive = false;
  for (const pat of hosts.split(",")) {
    if (pat === "") continue;
    const negated = pat.startsWith("!");
    const p = negated ? pat.slice(1) : pat;
    if (globMatches(p, name)) {
      if (negated) return false;
      positive = true;
    }
  }
  return positive;
}

/**
 * Every known_hosts entry, with the plain host names indexed: a lookup costs the entries that name
 * the host plus the hashed and wildcard ones (checked in turn, as OpenSSH does), not a pass over
 * every line. A 10,000-host fleet has a 10,000-line known_hosts; matching each host against all of
 * it made a fleet scan quadratic.
 */
export class KnownHosts {
  readonly entries: KnownHostEntry[] = [];
  private readonly byName = new Map<string, number[]>();
  /** Entries whose host field is hashed, has a wildcard or a negation: matched one by one. */
  private readonly patterned: number[] = [];
  private readonly revokedKeys: number[] = [];

  constructor(entries: Iterable<KnownHostEntry> = []) {
    for (const e of entries) this.add(e);
  }

  add(e: KnownHostEntry): void {
    const i = this.entries.push(e) - 1;
    if (e.marker === "revoked") this.revokedKeys.push(i);
    else if (e.hosts.startsWith("|") || /[*?!]/.test(e.hosts)) this.patterned.push(i);
    else {
      for (const name of new Set(e.hosts.split(",").filter((n) => n !== "").map((n) => n.toLowerCase()))) {
        const list = this.byName.get(name);
        if (list) list.push(i);
        else this.byName.set(name, [i]);
      }
    }
  }

  /** The entries (not `@revoked`) whose host field names `name`, in file order. */
  forName(name: string): KnownHostEntry[] {
    const hits = [...(this.byName.get(name) ?? []), ...this.patterned.filter((i) => hostsFieldMatches(this.entries[i]!.hosts, name))];
    return hits.sort((a, b) => a - b).map((i) => this.entries[i]!);
  }

  revoked(key: Buffer): KnownHostEntry | undefined {
    for (const i of this.revokedKeys) if (this.entries[i]!.key.equals(key)) return this.entries[i];
    return undefined;
  }
}

const asKnownHosts = (k: KnownHosts | KnownHostEntry[]): KnownHosts => (k instanceof KnownHosts ? k : new KnownHosts(k));

/** Decides what a presented key means for `host:port`, given every known_hosts entry. */
export function verifyHostKey(known: KnownHosts | KnownHostEntry[], host: string, port: number, presented: Buffer): HostKeyVerdict {
  const index = asKnownHosts(known);
  const revoked = index.revoked(presented);
  if (revoked) return { kind: "revoked", entry: revoked };
  const forHost = index.forName(knownHostsName(host, port));
  const plain = forHost.filter((e) => e.marker === null);
  const match = plain.find((e) => e.key.equals(presented));
  if (match) return { kind: "match", entry: match };
  if (plain.length > 0) return { kind: "changed", known: plain };
  return { kind: "unknown", certAuthorityOnly: forHost.length > 0 };
}

/** Host key algorithms to offer, known types first, as OpenSSH orders them for a known host. */
export function preferredHostKeyAlgorithms(known: KnownHosts | KnownHostEntry[], host: string, port: number): string[] {
  const all = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
  ];
  const types = new Set<string>();
  for (const e of asKnownHosts(known).forName(knownHostsName(host, port))) {
    if (e.marker !== null) continue;
    if (e.keyType === "ssh-rsa") ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"].forEach((t) => types.add(t));
    else types.add(e.keyType);
  }
  return [...all.filter((a) => types.has(a)), ...all.filter((a) => !types.has(a))];
}

interface ParsedFile {
  mtimeMs: number;
  size: number;
  entries: KnownHostEntry[];
  /** Lines as they are in the file, for appendKnownHost's "already there" check. */
  lines: Set<string>;
  /** Lines in the file, counting an unterminated last one. */
  lineCount: number;
  endsWithNewline: boolean;
}
const parsedCache = new Map<string, ParsedFile>();
/** The last index built, for the file list and file versions it was built from. */
let lastIndex: { key: string; versions: ParsedFile[]; index: KnownHosts } | undefined;

/**
 * Synchronous on purpose (a stat of one file): a check of the cache can then never interleave
 * with an append of this process and its cache update. The asynchronous version, with appends
 * queued behind `mkdir` and `stat` promises, took 15 s for 10,000 interleaved appends (0.7 s now),
 * and a 10,000-host scan went from 34.5 to 16.5 ms of scanner CPU a host with this change.
 */
function parsedFile(f: string): ParsedFile | undefined {
  let st;
  try {
    st = statSync(f);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const hit = parsedCache.get(f);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
  const text = readFileSync(f, "utf8");
  const lines = text.split("\n");
  const endsWithNewline = text === "" || text.endsWith("\n");
  const parsed = { mtimeMs: st.mtimeMs, size: st.size, entries: parseKnownHosts(text, f), lines: new Set(lines), lineCount: lines.length - (endsWithNewline ? 1 : 0), endsWithNewline };
  parsedCache.set(f, parsed);
  return parsed;
}

/**
 * Reads every file that exists; missing files are empty. A file is parsed again only when its
 * size or modification time changed, and the index is built again only then, so a fleet scan
 * neither re-parses known_hosts nor re-indexes it per host; a host key this process appends goes
 * into the cached file and index as it is written (appendKnownHost).
 */
export async function loadKnownHosts(files: string[]): Promise<KnownHosts> {
  const versions: ParsedFile[] = [];
  for (const f of files) {
    const p = parsedFile(f);
    if (p) versions.push(p);
  }
  const key = files.join("\u0000");
  if (lastIndex && lastIndex.key === key && lastIndex.versions.length === versions.length && lastIndex.versions.every((v, i) => v === versions[i])) return lastIndex.index;
  const index = new KnownHosts(versions.flatMap((v) => v.entries));
  lastIndex = { key, versions, index };
  return index;
}

/**
 * Trust on first use: appends `name keytype base64` to `file` (created 0600, directory 0700).
 * The body has no await: it runs to its end at once (one short line), so concurrent scans in this
 * process neither interleave lines nor see the file between the append and the cache update.
 */
export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  const type = blobKeyType(key);
  if (!type) throw new Error("host key blob has no key type");
  const line = `${knownHostsName(host, port)} ${type} ${key.toString("base64")}\n`;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const before = parsedFile(file);
  // Another scan of the same host in this run may have added it already.
  if (before?.lines.has(line.trimEnd())) return;
  const prefix = before && !before.endsWithNewline ? "\n" : "";
  appendFileSync(file, prefix + line, { mode: 0o600 });
  // Keep the cached file (and the index built from it) current instead of parsing it again.
  const st = statSync(file);
  if (before && st.size === before.size + Buffer.byteLength(prefix + line)) {
    const entry = parseKnownHosts(line, file)[0];
    before.mtimeMs = st.mtimeMs;
    before.size = st.size;
    before.lines.add(line.trimEnd());
    before.lineCount += 1;
    before.endsWithNewline = true;
    if (entry) {
      entry.line = before.lineCount;
      before.entries.push(entry);
      if (lastIndex?.versions.includes(before)) lastIndex.index.add(entry);
    }
  }
}
