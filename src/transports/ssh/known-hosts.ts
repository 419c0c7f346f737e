import { createHash, createHmac } from "node:crypto";
import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
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

/** Decides what a presented key means for `host:port`, given every known_hosts entry. */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, presented: Buffer): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === "revoked" && e.key.equals(presented));
  if (revoked) return { kind: "revoked", entry: revoked };
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => e.marker !== "revoked" && hostsFieldMatches(e.hosts, name));
  const plain = forHost.filter((e) => e.marker === null);
  const match = plain.find((e) => e.key.equals(presented));
  if (match) return { kind: "match", entry: match };
  if (plain.length > 0) return { kind: "changed", known: plain };
  return { kind: "unknown", certAuthorityOnly: forHost.length > 0 };
}

/** Host key algorithms to offer, known types first, as OpenSSH orders them for a known host. */
export function preferredHostKeyAlgorithms(entries: KnownHostEntry[], host: string, port: number): string[] {
  const all = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
  ];
  const name = knownHostsName(host, port);
  const known = new Set<string>();
  for (const e of entries) {
    if (e.marker !== null || !hostsFieldMatches(e.hosts, name)) continue;
    if (e.keyType === "ssh-rsa") ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"].forEach((t) => known.add(t));
    else known.add(e.keyType);
  }
  return [...all.filter((a) => known.has(a)), ...all.filter((a) => !known.has(a))];
}

const parsedCache = new Map<string, { mtimeMs: number; size: number; entries: KnownHostEntry[] }>();

/**
 * Reads every file that exists; missing files are empty. A file is parsed again only when its
 * size or modification time changed, so a fleet scan does not re-parse known_hosts per host.
 */
export async function loadKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    let st;
    try {
      st = await stat(f);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    const hit = parsedCache.get(f);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      out.push(...hit.entries);
      continue;
    }
    const entries = parseKnownHosts(await readFile(f, "utf8"), f);
    parsedCache.set(f, { mtimeMs: st.mtimeMs, size: st.size, entries });
    out.push(...entries);
  }
  return out;
}

let appendQueue: Promise<unknown> = Promise.resolve();

/**
 * Trust on first use: appends `name keytype base64` to `file` (created 0600, directory 0700).
 * Appends are serialised within the process so concurrent scans do not interleave lines.
 */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  const type = blobKeyType(key);
  if (!type) return Promise.reject(new Error("host key blob has no key type"));
  const line = `${knownHostsName(host, port)} ${type} ${key.toString("base64")}\n`;
  const job = appendQueue.then(async () => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let prefix = "";
    try {
      const st = await stat(file);
      if (st.size > 0) {
        const text = await readFile(file, "utf8");
        // Another scan of the same host in this run may have added it already.
        if (text.split("\n").includes(line.trimEnd())) return;
        if (!text.endsWith("\n")) prefix = "\n";
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    await appendFile(file, prefix + line, { mode: 0o600 });
  });
  appendQueue = job.catch(() => undefined);
  return job;
}
