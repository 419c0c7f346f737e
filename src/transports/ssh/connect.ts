import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { connect as netConnect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import ssh2 from "ssh2";
import type { AuthenticationType, Client, ConnectConfig } from "ssh2";
import { TransportError, errorMessage } from "../../core/errors.js";
import { stripControl } from "../../core/untrusted-text.js";
import type { SecretProvider } from "../../collectors/types.js";
import {
  appendKnownHost,
  fingerprint,
  loadKnownHosts,
  preferredHostKeyAlgorithms,
  verifyHostKey,
  blobKeyType,
} from "./known-hosts.js";

/** One SSH hop: where to connect and as whom. `host` is also the known_hosts name. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface SshConnectOptions {
  target: SshEndpoint;
  /** Jump hosts, in order; the target is reached through the last one. */
  jumps: SshEndpoint[];
  identityFiles: string[];
  /** known_hosts files read for verification (the write file first). */
  knownHostsFiles: string[];
  /** Where `--accept-new-host-keys` appends. */
  knownHostsWriteFile: string;
  acceptNewHostKeys: boolean;
  /** SSH_AUTH_SOCK, when an agent may be used. */
  agent?: string;
  secrets: SecretProvider;
  signal: AbortSignal;
  /** Connect + handshake + authentication must finish within this (per hop). */
  readyTimeoutMs: number;
  keepaliveIntervalMs?: number;
  log?: (message: string) => void;
}

export interface SshSession {
  client: Client;
  /** Software part of the server's identification, e.g. `OpenSSH_9.2p1` or `OpenSSH_for_Windows_8.1`. */
  remoteSoftware: string;
  /** Host key accepted by trust-on-first-use during this connection (fingerprint), if any. */
  acceptedNewKey?: string;
  close(): void;
}

function describe(ep: SshEndpoint): string {
  return ep.port === 22 ? ep.host : `[${ep.host}]:${ep.port}`;
}

/** Maps a socket or ssh2 error to the status the target ends with. */
export function classifyError(err: unknown, ep: SshEndpoint): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as NodeJS.ErrnoException & { level?: string };
  const msg = stripControl(errorMessage(err));
  const where = describe(ep);
  if (e.level === "client-authentication") {
    return new TransportError("auth_failed", `${where}: authentication failed for user ${ep.user} (${msg})`, { cause: err });
  }
  const unreachableCodes = ["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET"];
  if ((e.code && unreachableCodes.includes(e.code)) || e.level === "client-dns") {
    return new TransportError("unreachable", `${where}: ${msg}`, { cause: err });
  }
  if (e.level === "client-timeout" || /timed out/i.test(msg)) {
    return new TransportError("unreachable", `${where}: no SSH handshake within the deadline (${msg})`, { cause: err });
  }
  return new TransportError("error", `${where}: ${msg}`, { cause: err });
}

function abortError(signal: AbortSignal, ep: SshEndpoint): TransportError {
  const why = signal.reason instanceof Error ? signal.reason.message : "deadline reached";
  return new TransportError("unreachable", `${describe(ep)}: ${why} before the SSH session was ready`);
}

/** A TCP connection with Nagle off, failing fast on refusal and bounded by the deadline. */
function tcpConnect(ep: SshEndpoint, signal: AbortSignal, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: ep.host, port: ep.port });
    sock.setNoDelay(true);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new TransportError("unreachable", `${describe(ep)}: TCP connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => {
      clearTimeout(timer);
      sock.destroy();
      reject(abortError(signal, ep));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    sock.once("connect", () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(sock);
    });
    sock.once("error", (err) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      reject(classifyError(err, ep));
    });
  });
}

type ParsedKey = Exclude<ReturnType<typeof ssh2.utils.parseKey>, Error | unknown[]>;

interface KeyCandidate {
  file: string;
  data: Buffer;
  /** The key parsed once (ssh2 would parse `data` again on every connection); absent while it is locked with a passphrase. */
  parsed?: ParsedKey;
}

/**
 * Identity files read and parsed once per process (a fleet scan connected 10,000 times and parsed
 * the same key each time), kept while the file's size, mtime and inode are unchanged. Keys unlocked
 * with a passphrase are kept parsed too, as an agent would, so the slow KDF runs once.
 */
const keyCache = new Map<string, { stamp: string; candidate: Promise<KeyCandidate | string> }>();

async function readKey(file: string): Promise<KeyCandidate | string> {
  let stamp: string;
  try {
    const st = statSync(file); // per host: the promise form cost 0.26 ms a host at 10,000 hosts
    stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (err) {
    return `identity file ${file} not readable: ${errorMessage(err)}`;
  }
  const cached = keyCache.get(file);
  if (cached?.stamp === stamp) return cached.candidate;
  const candidate = readFile(file).then(
    (data): KeyCandidate | string => {
      const parsed = ssh2.utils.parseKey(data);
      if (!(parsed instanceof Error)) return { file, data, parsed: Array.isArray(parsed) ? parsed[0] : parsed };
      if (/passphrase/i.test(parsed.message)) return { file, data };
      return `identity file ${file} is not a usable private key: ${parsed.message}`;
    },
    (err: unknown) => `identity file ${file} not readable: ${errorMessage(err)}`,
  );
  keyCache.set(file, { stamp, candidate });
  return candidate;
}

async function readKeys(files: string[], log?: (m: string) => void): Promise<KeyCandidate[]> {
  const out: KeyCandidate[] = [];
  for (const file of files) {
    const got = await readKey(file);
    if (typeof got === "string") log?.(got);
    else out.push(got);
  }
  return out;
}

/**
 * Authentication in OpenSSH's order: agent, identity files (asking for a passphrase through the
 * secret provider when a key is encrypted), then password and keyboard-interactive with the
 * password from the secret provider. Secrets are fetched only when a method needs them.
 */
function makeAuthHandler(ep: SshEndpoint, keys: KeyCandidate[], opts: SshConnectOptions): ConnectConfig["authHandler"] {
  type Step = () => Promise<Record<string, unknown> | null>;
  const steps: { type: AuthenticationType; run: Step }[] = [];
  const username = ep.user;
  let passwordPromise: Promise<string | undefined> | undefined;
  const password = () => (passwordPromise ??= opts.secrets.password(`ssh password for ${username}@${ep.host}`));
  if (opts.agent) steps.push({ type: "publickey", run: async () => ({ type: "agent", username, agent: opts.agent }) });
  for (const k of keys) {
    steps.push({
      type: "publickey",
      run: async () => {
        if (k.parsed) return { type: "publickey", username, key: k.parsed };
        const passphrase = await opts.secrets.password(`passphrase for key ${k.file}`);
        if (passphrase === undefined) return null;
        const parsed = ssh2.utils.parseKey(k.data, passphrase);
        if (parsed instanceof Error) {
          opts.log?.(`identity file ${k.file}: passphrase not accepted`);
          return null;
        }
        k.parsed = Array.isArray(parsed) ? parsed[0] : parsed;
        return { type: "publickey", username, key: k.parsed };
      },
    });
  }
  steps.push({
    type: "password",
    run: async () => {
      const pw = await password();
      return pw === undefined ? null : { type: "password", username, password: pw };
    },
  });
  steps.push({
    type: "keyboard-interactive",
    run: async () => {
      const pw = await password();
      if (pw === undefined) return null;
      return {
        type: "keyboard-interactive",
        username,
        // Answer hidden prompts (password-like) with the password; anything else gets an empty answer.
        prompt: (_n: string, _i: string, _l: string, prompts: { prompt: string; echo?: boolean }[], finish: (r: string[]) => void) =>
          finish(prompts.map((p) => (p.echo ? "" : pw))),
      };
    },
  });
  let i = 0;
  return ((methodsLeft: AuthenticationType[] | null, _partial: boolean | null, callback: (m: unknown) => void) => {
    const next = (): void => {
      const step = steps[i++];
      if (!step) return callback(false);
      // "agent" is offered as publickey on the wire.
      if (methodsLeft && !methodsLeft.includes(step.type)) return next();
      step.run().then(
        (method) => (method ? callback(method) : next()),
        () => next(),
      );
    };
    next();
  }) as unknown as ConnectConfig["authHandler"];
}

async function connectHop(
  ep: SshEndpoint,
  sock: Duplex,
  keys: KeyCandidate[],
  opts: SshConnectOptions,
): Promise<{ client: Client; acceptedNewKey?: string }> {
  const entries = await loadKnownHosts(opts.knownHostsFiles);
  let refusal: TransportError | undefined;
  let accepted: Buffer | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    const verdict = verifyHostKey(entries, ep.host, ep.port, key);
    const fp = fingerprint(key);
    const type = blobKeyType(key) ?? "unknown";
    const name = describe(ep);
    switch (verdict.kind) {
      case "match":
        return true;
      case "revoked":
        refusal = new TransportError(
          "host_key_mismatch",
          `${name}: the host key ${type} ${fp} is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}; not connecting`,
        );
        return false;
      case "changed": {
        const known = verdict.known.map((e) => `${e.keyType} ${fingerprint(e.key)} (${e.file}:${e.line})`).join(", ");
        refusal = new TransportError(
          "host_key_mismatch",
          `${name}: REMOTE HOST KEY HAS CHANGED — presented ${type} ${fp}, known ${known}. ` +
            `Nothing was run. If the change is expected, remove the old key with ` +
            `ssh-keygen -R '${name}' -f ${verdict.known[0]!.file} and scan again with --accept-new-host-keys`,
        );
        return false;
      }
      case "unknown":
        if (opts.acceptNewHostKeys) {
          accepted = key;
          return true;
        }
        refusal = new TransportError(
          "host_key_mismatch",
          `${name}: host key ${type} ${fp} is not in ${opts.knownHostsFiles.join(" or ")}` +
            (verdict.certAuthorityOnly ? " (only @cert-authority lines match; host certificates are not supported)" : "") +
            `; not scanned. Verify the fingerprint and pass --accept-new-host-keys, or add it with ssh-keyscan`,
        );
        return false;
    }
  };
  const client = new ssh2.Client();
  const config: ConnectConfig = {
    sock: sock as unknown as ConnectConfig["sock"],
    username: ep.user,
    hostVerifier,
    readyTimeout: opts.readyTimeoutMs,
    keepaliveInterval: opts.keepaliveIntervalMs ?? 10_000,
    keepaliveCountMax: 3,
    algorithms: { serverHostKey: preferredHostKeyAlgorithms(entries, ep.host, ep.port) as never },
    authHandler: makeAuthHandler(ep, keys, opts),
  };
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      client.destroy();
      reject(abortError(opts.signal, ep));
    };
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener("abort", onAbort, { once: true });
    const done = () => opts.signal.removeEventListener("abort", onAbort);
    client.once("ready", () => {
      done();
      resolve();
    });
    client.once("error", (err) => {
      done();
      client.destroy();
      reject(refusal ?? classifyError(err, ep));
    });
    client.once("close", () => {
      done();
      reject(refusal ?? new TransportError("unreachable", `${describe(ep)}: connection closed during the SSH handshake`));
    });
    client.connect(config);
  });
  // Errors after the session is up (keepalive timeout, reset) end the exec that is running; keep
  // them from becoming unhandled 'error' events.
  client.on("error", (err) => opts.log?.(`${describe(ep)}: ${stripControl(errorMessage(err))}`));
  if (accepted) {
    await appendKnownHost(opts.knownHostsWriteFile, ep.host, ep.port, accepted);
    opts.log?.(`${describe(ep)}: new host key ${fingerprint(accepted)} added to ${opts.knownHostsWriteFile}`);
  }
  return { client, ...(accepted ? { acceptedNewKey: fingerprint(accepted) } : {}) };
}

function forwardOut(client: Client, ep: SshEndpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, ep.host, ep.port, (err, stream) => {
      if (err) reject(new TransportError("unreachable", `${describe(ep)}: jump host could not open a connection (${stripControl(err.message)})`));
      else resolve(stream);
    });
  });
}

/**
 * Opens an authenticated SSH session to the target, through the jump hosts when given. Every hop's
 * host key is verified against known_hosts before authentication; a refused key ends the attempt
 * with `host_key_mismatch` and nothing is sent beyond the key exchange.
 */
export async function connectSsh(opts: SshConnectOptions): Promise<SshSession> {
  const keys = await readKeys(opts.identityFiles, opts.log);
  const clients: Client[] = [];
  const closeAll = () => {
    for (const c of clients.reverse()) c.end();
  };
  try {
    const hops = [...opts.jumps, opts.target];
    let sock: Duplex = await tcpConnect(hops[0]!, opts.signal, opts.readyTimeoutMs);
    let acceptedNewKey: string | undefined;
    for (let h = 0; h < hops.length; h++) {
      const ep = hops[h]!;
      const { client, acceptedNewKey: a } = await connectHop(ep, sock, keys, opts);
      clients.push(client);
      if (h === hops.length - 1) acceptedNewKey = a;
      else sock = await forwardOut(client, hops[h + 1]!);
    }
    const client = clients[clients.length - 1]!;
    const remoteSoftware = (client as unknown as { _remoteVer?: string })._remoteVer ?? "";
    return { client, remoteSoftware, ...(acceptedNewKey ? { acceptedNewKey } : {}), close: closeAll };
  } catch (err) {
    closeAll();
    throw err;
  }
}
