import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import {
  Client,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  SizeLimitExceededError,
  type Entry,
  type SearchOptions,
} from "ldapts";
import { TransportError, errorMessage } from "../../core/errors.js";
import { safeText } from "../../core/untrusted-text.js";
import { cleartextBindRefusal } from "./cleartext.js";
import { abortPhrase, abortable } from "../../core/abort.js";

/**
 * LDAP transport: connects (LDAPS or StartTLS), binds, and runs paged searches page by page.
 * I/O only: it never judges what it reads. Errors come back as {@link TransportError} with the
 * status the target ends with, and a message that says how to fix it. The password is only ever
 * handed to ldapts' bind and never appears in a message.
 */

export interface LdapConnectOptions {
  host: string;
  port: number;
  /** `ldaps` (TLS from the first byte) or `ldap` (StartTLS when `starttls`). */
  scheme: "ldap" | "ldaps";
  starttls: boolean;
  caFile?: string;
  insecureTls: boolean;
  /** Send a bind password on ldap:// without StartTLS (`--allow-cleartext-bind`); refused otherwise. */
  allowCleartextBind?: boolean;
  /** Per-operation time limit in milliseconds (connect, bind, each page). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export type LdapErrorKind =
  | "unreachable"
  | "tls_untrusted"
  | "auth_failed"
  | "strong_auth_required"
  | "confidentiality_required"
  | "insufficient_access"
  | "no_such_object"
  | "time_limit"
  | "size_limit"
  | "timeout"
  | "cleartext_refused"
  | "interrupted"
  | "other";

/** An LDAP failure with a machine-readable kind and a message a technician can act on. */
export class LdapError extends TransportError {
  constructor(
    readonly kind: LdapErrorKind,
    status: TransportError["status"],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(status, message, options);
  }
}

const TLS_TRUST_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED",
]);

const NET_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/** Maps anything ldapts or the socket throws to an {@link LdapError}. `during` names the step. */
export function classifyLdapError(err: unknown, during: string, timeoutMs: number): LdapError {
  if (err instanceof LdapError) return err;
  const code = (err as { code?: unknown })?.code;
  const msg = safeText(errorMessage(err), 300);
  if (err instanceof InvalidCredentialsError) {
    return new LdapError("auth_failed", "auth_failed", `${during}: the server rejected the bind DN or password (invalid credentials)`, { cause: err });
  }
  if (err instanceof StrongAuthRequiredError) {
    return new LdapError(
      "strong_auth_required",
      "error",
      `${during}: the server refused a simple bind without encryption (result code 8, strong authentication required); use ldaps://host/… or ldap:// with --starttls`,
      { cause: err },
    );
  }
  if (err instanceof ConfidentialityRequiredError) {
    return new LdapError(
      "confidentiality_required",
      "error",
      `${during}: the server requires a confidential connection (result code 13); use ldaps://host/… or ldap:// with --starttls`,
      { cause: err },
    );
  }
  if (err instanceof InsufficientAccessError) {
    return new LdapError("insufficient_access", "error", `${during}: insufficient access rights for the bind account`, { cause: err });
  }
  if (err instanceof NoSuchObjectError) {
    return new LdapError("no_such_object", "error", `${during}: no such object (check the base DN)`, { cause: err });
  }
  if (err instanceof TimeLimitExceededError) {
    return new LdapError("time_limit", "error", `${during}: the server's time limit was exceeded`, { cause: err });
  }
  if (err instanceof SizeLimitExceededError) {
    return new LdapError("size_limit", "error", `${during}: the server's size limit was exceeded (searches are paged; raise the bind account's limit for paged results, e.g. OpenLDAP size.prtotal, AD MaxPageSize)`, { cause: err });
  }
  if (typeof code === "string" && TLS_TRUST_CODES.has(code)) {
    return new LdapError(
      "tls_untrusted",
      "error",
      `${during}: the server's TLS certificate is not trusted (${code}); pass --ca-file with the CA that issued it, ` +
        `or --insecure-tls to skip verification (the report will say so)`,
      { cause: err },
    );
  }
  if (typeof code === "string" && NET_CODES.has(code)) {
    return new LdapError("unreachable", "unreachable", `${during}: ${code}`, { cause: err });
  }
  if (/Connection timeout/i.test(msg)) {
    return new LdapError("unreachable", "unreachable", `${during}: no connection within ${timeoutMs} ms`, { cause: err });
  }
  if (/timed out/i.test(msg)) {
    return new LdapError("timeout", "error", `${during}: no answer within ${timeoutMs} ms`, { cause: err });
  }
  return new LdapError("other", "error", `${during}: ${msg}`, { cause: err });
}

/** Builds the TLS options: CA from `--ca-file`, verification on unless `--insecure-tls`. */
export async function tlsOptions(opts: LdapConnectOptions): Promise<ConnectionOptions> {
  const tls: ConnectionOptions = { rejectUnauthorized: !opts.insecureTls, minVersion: "TLSv1.2" };
  if (isIP(opts.host) === 0) tls.servername = opts.host;
  if (opts.caFile) {
    try {
      tls.ca = [await readFile(opts.caFile)];
    } catch (err) {
      throw new LdapError("other", "error", `cannot read --ca-file ${opts.caFile}: ${errorMessage(err)}`);
    }
  }
  return tls;
}

function urlFor(scheme: "ldap" | "ldaps", host: string, port: number): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}

/** One bound LDAP session. */
export class LdapSession {
  private constructor(
    private readonly client: Client,
    readonly timeoutMs: number,
    /** How the connection is protected. */
    readonly security: "ldaps" | "starttls" | "none",
    private readonly signal?: AbortSignal,
  ) {}

  /** Ends `work` as soon as the signal fires (the connection is dropped at the same time). */
  private guard<T>(work: Promise<T>): Promise<T> {
    return abortable(work, this.signal, () => stoppedError(this.signal!));
  }

  /** Connects, upgrades with StartTLS when asked, and binds. */
  static async open(opts: LdapConnectOptions, bindDN: string | undefined, password: string | undefined): Promise<LdapSession> {
    // Checked before connecting: nothing goes on the wire when the password would travel in cleartext.
    const refusal = cleartextBindRefusal({
      scheme: opts.scheme,
      starttls: opts.starttls,
      bindDN,
      allowCleartextBind: opts.allowCleartextBind === true,
      where: urlFor(opts.scheme, opts.host, opts.port),
    });
    if (refusal) throw new LdapError("cleartext_refused", "error", refusal);
    const tls = await tlsOptions(opts);
    const client = new Client({
      url: urlFor(opts.scheme, opts.host, opts.port),
      timeout: opts.timeoutMs,
      connectTimeout: opts.timeoutMs,
      // ldapts connects with TLS whenever tlsOptions are given, so plain ldap:// gets them only
      // through startTLS() below.
      ...(opts.scheme === "ldaps" ? { tlsOptions: tls } : {}),
      strictDN: false,
    });
    const onAbort = () => void closeClient(client);
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const security = opts.scheme === "ldaps" ? "ldaps" : opts.starttls ? "starttls" : "none";
    const session = new LdapSession(client, opts.timeoutMs, security, opts.signal);
    try {
      if (opts.scheme === "ldap" && opts.starttls) {
        try {
          // `host` is what the certificate is checked against (tls.connect over an existing socket has none).
          await session.guard(client.startTLS({ ...tls, host: opts.host }));
        } catch (err) {
          throw classifyLdapError(err, "StartTLS", opts.timeoutMs);
        }
      }
      if (bindDN !== undefined && bindDN !== "") {
        try {
          await session.guard(client.bind(bindDN, password ?? ""));
        } catch (err) {
          throw classifyLdapError(err, "bind", opts.timeoutMs);
        }
      } else {
        // Anonymous: connect now so an unreachable server is reported as such.
        try {
          await session.guard(client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["1.1"], timeLimit: seconds(opts.timeoutMs) }));
        } catch (err) {
          throw classifyLdapError(err, "connect", opts.timeoutMs);
        }
      }
    } catch (err) {
      await session.close();
      throw err;
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
    return session;
  }

  /** Reads one entry (scope base); null when it does not exist. */
  async readEntry(dn: string, attributes: string[], binary: string[] = []): Promise<Entry | null> {
    try {
      const res = await this.guard(
        this.client.search(dn, {
          scope: "base",
          filter: "(objectClass=*)",
          attributes,
          explicitBufferAttributes: binary,
          timeLimit: seconds(this.timeoutMs),
        }),
      );
      return res.searchEntries[0] ?? null;
    } catch (err) {
      if (err instanceof NoSuchObjectError) return null;
      throw classifyLdapError(err, `read ${dn}`, this.timeoutMs);
    }
  }

  /**
   * Runs a paged search and hands each page to `onPage` before asking for the next one, so memory
   * holds one page of raw entries at a time. Returns how many entries were seen.
   */
  async pagedSearch(
    baseDN: string,
    options: SearchOptions & { pageSize?: number },
    onPage: (entries: Entry[]) => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<number> {
    const { pageSize = 500, ...rest } = options;
    let seen = 0;
    try {
      const pages = this.client.searchPaginated(baseDN, {
        scope: "sub",
        timeLimit: seconds(this.timeoutMs),
        ...rest,
        paged: { pageSize },
      });
      const it = pages[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.guard(it.next());
        if (next.done) break;
        if (signal?.aborted) throw stoppedError(signal);
        seen += next.value.searchEntries.length;
        await onPage(next.value.searchEntries);
      }
    } catch (err) {
      throw classifyLdapError(err, `search ${baseDN}`, this.timeoutMs);
    }
    return seen;
  }

  /**
   * Reads every value of a multi-valued attribute with range retrieval (`member;range=0-1499`),
   * as AD returns at most MaxValRange values per request. `step` is the range asked for each time.
   */
  async readAllValues(dn: string, attribute: string, step = 1500): Promise<string[]> {
    const out: string[] = [];
    let low = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      const want = `${attribute};range=${low}-${low + step - 1}`;
      const entry = await this.readEntry(dn, [want]);
      if (!entry) return out;
      const got = rangedValues(entry, attribute);
      if (!got) {
        // Server ignored the range option: plain attribute holds everything.
        return out.concat(asStrings(entry[attribute]));
      }
      out.push(...got.values);
      if (got.high === null || got.values.length === 0) return out;
      low = got.high + 1;
    }
    return out;
  }

  async close(): Promise<void> {
    await closeClient(this.client);
  }
}

/** Finds `attr;range=LOW-HIGH` in an entry; high is null when the server sent `*` (the last range). */
export function rangedValues(entry: Entry, attribute: string): { values: string[]; low: number; high: number | null } | null {
  const prefix = `${attribute.toLowerCase()};range=`;
  for (const key of Object.keys(entry)) {
    if (!key.toLowerCase().startsWith(prefix)) continue;
    const m = /^(\d+)-(\d+|\*)$/.exec(key.slice(prefix.length));
    if (!m) continue;
    return { values: asStrings(entry[key]), low: Number(m[1]), high: m[2] === "*" ? null : Number(m[2]) };
  }
  return null;
}

export function asStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => (Buffer.isBuffer(x) ? x.toString("utf8") : String(x)));
}

/**
 * Unbinds, but never waits long: ldapts ends the socket only once the unbind request is written,
 * which a server that stopped reading never lets happen. Then the socket is destroyed outright
 * (ldapts keeps it in a field of its own), so nothing outlives a stopped scan.
 */
async function closeClient(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.unbind().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 250)))]);
  clearTimeout(timer);
  (client as unknown as { socket?: { destroy(): void } }).socket?.destroy();
}

function stoppedError(signal: AbortSignal): LdapError {
  return new LdapError("interrupted", "error", `LDAP ${abortPhrase(signal)}`);
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Checks whether the server accepts a simple bind over a connection with neither TLS nor signing,
 * WITHOUT sending the real password: it binds with `probeDN` and a random throw-away password.
 * A server that refuses cleartext binds answers 8 (strong auth required) or 13 (confidentiality
 * required) before looking at the password; one that accepts them answers 49 (invalid credentials).
 */
export async function probeCleartextBind(
  host: string,
  port: number,
  probeDN: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ result: "refused" | "accepted" | "not_listening" | "inconclusive"; detail: string }> {
  const client = new Client({ url: urlFor("ldap", host, port), timeout: timeoutMs, connectTimeout: timeoutMs, strictDN: false });
  const throwaway = `hipaa-scan-probe-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const onAbort = () => void closeClient(client);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await abortable(client.bind(probeDN, throwaway), signal, () => stoppedError(signal!));
    return { result: "accepted", detail: `port ${port}: a simple bind without TLS succeeded` };
  } catch (err) {
    if (err instanceof StrongAuthRequiredError) return { result: "refused", detail: `port ${port}: result code 8 (strong authentication required)` };
    if (err instanceof ConfidentialityRequiredError) return { result: "refused", detail: `port ${port}: result code 13 (confidentiality required)` };
    if (err instanceof InvalidCredentialsError) {
      return { result: "accepted", detail: `port ${port}: a simple bind without TLS was evaluated (invalid credentials for a throw-away password), so cleartext binds are accepted` };
    }
    const e = classifyLdapError(err, `probe port ${port}`, timeoutMs);
    if (e.kind === "interrupted") throw e;
    if (e.kind === "unreachable") return { result: "not_listening", detail: `port ${port}: ${e.message}` };
    return { result: "inconclusive", detail: e.message };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await closeClient(client);
  }
}
