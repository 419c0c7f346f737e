import http from "node:http";
import https from "node:https";
import { TransportError } from "../../core/errors.js";
import type { ExecResult } from "../types.js";
import { CONTENT_TYPE, decryptMessage, encryptMessage, isEncryptedContentType } from "./encryption.js";
import { createAuthenticateMessage, createNegotiateMessage, NtlmError, type SessionSecurity } from "./ntlm.js";
import {
  Action,
  COMMAND_STATE_DONE,
  DEFAULT_MAX_ENVELOPE,
  FAULT_OPERATION_TIMEOUT,
  attrOf,
  bodies,
  envelope,
  findAll,
  findFirst,
  parseXml,
  readFault,
  relatesTo,
  textOf,
  type WsmanFault,
  type XNode,
} from "./soap.js";
import { decodeStderr, decodeUtf8 } from "./streams.js";

/**
 * A WinRM client for one host: NTLMv2 (sealed messages over HTTP, plain over HTTPS) or Basic over
 * HTTPS, and the remote shell lifecycle: create shell, command, send stdin, receive until done,
 * signal terminate, delete shell. One TCP connection is kept for the whole exchange, because NTLM
 * authenticates the connection.
 */

export interface WinRmOptions {
  host: string;
  port: number;
  https: boolean;
  user: string;
  password: string;
  /** `auto`: NTLM, or Basic when an HTTPS server offers only Basic. */
  auth?: "auto" | "ntlm" | "basic";
  ca?: Buffer;
  insecureTls?: boolean;
  signal: AbortSignal;
  operationTimeoutSec?: number;
  maxEnvelopeSize?: number;
  /** Extra time over OperationTimeout a single HTTP request may take. */
  requestSlackMs?: number;
}

/** Longest command line sent; Windows' cmd.exe limit. Longer is refused, never cut. */
export const MAX_COMMAND_LINE = 8191;
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class WsmanFaultError extends Error {
  constructor(readonly fault: WsmanFault, readonly httpStatus: number) {
    super(`WS-Management fault${fault.wsmanCode ? ` ${fault.wsmanCode}` : ""}: ${fault.reason || fault.message || fault.code}`);
  }
}

interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EHOSTDOWN", "ECONNABORTED"]);
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

export class WinRmClient {
  /** HTTP requests sent so far (for the bench and the report). */
  requests = 0;
  private readonly agent: http.Agent;
  private readonly endpoint: string;
  private session: SessionSecurity | undefined;
  private authenticated = false;
  private basic = false;
  private everConnected = false;
  private readonly opTimeout: number;
  private readonly maxEnvelope: number;

  constructor(private readonly o: WinRmOptions) {
    this.opTimeout = o.operationTimeoutSec ?? 20;
    this.maxEnvelope = o.maxEnvelopeSize ?? DEFAULT_MAX_ENVELOPE;
    const hostPart = o.host.includes(":") ? `[${o.host}]` : o.host;
    this.endpoint = `${o.https ? "https" : "http"}://${hostPart}:${o.port}/wsman`;
    this.agent = o.https
      ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: o.ca, rejectUnauthorized: !o.insecureTls })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
    if (o.auth === "basic" && !o.https) throw new TransportError("error", "Basic authentication is only used over HTTPS (winrms://)");
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Runs one command with `stdin` fed to it, and returns its output. The command line is built by
   * hipaa-scan, never from target text.
   */
  async run(command: string, args: string[], stdin: Buffer | undefined, maxOutputBytes: number): Promise<ExecResult> {
    const commandLine = [command, ...args].join(" ");
    if (commandLine.length > MAX_COMMAND_LINE) {
      throw new TransportError("error", `command line of ${commandLine.length} characters is longer than ${MAX_COMMAND_LINE}; refusing to send it (it would be cut)`);
    }
    const shellId = await this.createShell();
    let result: ExecResult | undefined;
    try {
      const commandId = await this.command(shellId, command, args);
      if (stdin !== undefined) await this.sendStdin(shellId, commandId, stdin);
      result = await this.receiveAll(shellId, commandId, maxOutputBytes);
      await this.call(Action.signal, bodies.signal(commandId), shellId).catch((err: unknown) => {
        if (this.o.signal.aborted) throw err;
      });
    } finally {
      if (!this.o.signal.aborted) await this.call(Action.delete, "", shellId).catch(() => undefined);
    }
    return result;
  }

  private async createShell(): Promise<string> {
    const doc = await this.call(Action.create, bodies.create(), undefined, { WINRS_NOPROFILE: "TRUE", WINRS_CODEPAGE: "65001" });
    const selector = findAll(doc, "Selector").find((n) => attrOf(n, "Name") === "ShellId");
    const id = textOf(selector ?? findFirst(doc, "ShellId")).trim();
    if (!id) throw new TransportError("error", "WinRM did not return a shell id");
    return id;
  }

  private async command(shellId: string, command: string, args: string[]): Promise<string> {
    const doc = await this.call(Action.command, bodies.command(command, args), shellId, {
      WINRS_CONSOLEMODE_STDIN: "TRUE",
      // As pywinrm does by default: cmd.exe starts the command (our arguments are flags and base64 only).
      WINRS_SKIP_CMD_SHELL: "FALSE",
    });
    const id = textOf(findFirst(doc, "CommandId")).trim();
    if (!id) throw new TransportError("error", "WinRM did not return a command id");
    return id;
  }

  private async sendStdin(shellId: string, commandId: string, data: Buffer): Promise<void> {
    // Base64 grows data by 4/3; leave room for the envelope itself.
    const chunk = Math.max(1024, Math.floor(((this.maxEnvelope - 4096) * 3) / 4));
    for (let off = 0; off < data.length || off === 0; off += chunk) {
      const part = data.subarray(off, off + chunk);
      const end = off + chunk >= data.length;
      await this.call(Action.send, bodies.send(commandId, part, end), shellId);
      if (end) break;
    }
  }

  private async receiveAll(shellId: string, commandId: string, maxOutputBytes: number): Promise<ExecResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let truncated = false;
    for (;;) {
      let doc: XNode;
      try {
        doc = await this.call(Action.receive, bodies.receive(commandId), shellId);
      } catch (e) {
        // No output within OperationTimeout is normal for a slow command: ask again.
        if (e instanceof WsmanFaultError && e.fault.wsmanCode === FAULT_OPERATION_TIMEOUT) continue;
        throw e;
      }
      for (const s of findAll(doc, "Stream")) {
        const cid = attrOf(s, "CommandId");
        if (cid !== undefined && cid !== commandId) throw new TransportError("error", "WinRM returned output of another command");
        const data = Buffer.from(textOf(s).trim(), "base64");
        if (data.length === 0) continue;
        const name = attrOf(s, "Name");
        if (name === "stderr") {
          if (errLen + data.length > maxOutputBytes) truncated = true;
          else {
            err.push(data);
            errLen += data.length;
          }
        } else if (outLen + data.length > maxOutputBytes) truncated = true;
        else {
          out.push(data);
          outLen += data.length;
        }
      }
      const state = findAll(doc, "CommandState").find((n) => attrOf(n, "State") === COMMAND_STATE_DONE);
      if (state || truncated) {
        const code = state ? textOf(findFirst(state, "ExitCode")).trim() : "";
        return {
          stdout: decodeUtf8(Buffer.concat(out)),
          stderr: decodeStderr(decodeUtf8(Buffer.concat(err))),
          exitCode: code !== "" && /^-?\d+$/.test(code) ? Number(code) : null,
          truncated,
        };
      }
    }
  }

  /** Sends one WS-Man request and returns the parsed reply, checking RelatesTo and faults. */
  private async call(action: string, body: string, shellId?: string, options?: Record<string, string>): Promise<XNode> {
    const { xml, messageId } = envelope({
      to: this.endpoint,
      action,
      shellId,
      options,
      body,
      maxEnvelopeSize: this.maxEnvelope,
      operationTimeoutSec: this.opTimeout,
    });
    const reply = await this.exchange(Buffer.from(xml, "utf8"));
    const text = this.replyText(reply);
    let doc: XNode;
    try {
      doc = parseXml(text);
    } catch {
      throw new TransportError("error", `WinRM reply to ${action.split("/").pop()} is not XML (HTTP ${reply.status})`);
    }
    const fault = readFault(doc);
    if (fault || reply.status !== 200) {
      throw new WsmanFaultError(fault ?? { code: "", subcode: "", reason: `HTTP ${reply.status}`, wsmanCode: undefined, message: "" }, reply.status);
    }
    const rel = relatesTo(doc);
    if (rel !== messageId) throw new TransportError("error", "WinRM reply does not relate to the request sent (RelatesTo mismatch)");
    return doc;
  }

  private replyText(reply: HttpReply): string {
    if (reply.status === 401) {
      throw new TransportError(this.authenticated ? "error" : "auth_failed", this.authenticated ? "WinRM dropped the authenticated session (HTTP 401)" : `WinRM refused the credentials of ${this.o.user}`);
    }
    const ct = reply.headers["content-type"];
    if (this.session && isEncryptedContentType(ct)) {
      try {
        return decryptMessage(this.session, reply.body).toString("utf8");
      } catch (err) {
        throw new TransportError("error", `WinRM reply could not be unsealed: ${(err as Error).message}`);
      }
    }
    if (this.session && reply.body.length > 0) {
      throw new TransportError("error", "WinRM answered in clear text on an encrypted session");
    }
    if (reply.body.length === 0) throw new TransportError("error", `WinRM answered HTTP ${reply.status} with an empty body`);
    return reply.body.toString("utf8");
  }

  /** Posts one SOAP message, authenticating first when needed. */
  private async exchange(xml: Buffer): Promise<HttpReply> {
    if (!this.authenticated) return this.authenticate(xml);
    if (this.basic) return this.post(xml, { "Content-Type": "application/soap+xml;charset=UTF-8", Authorization: this.basicHeader() });
    if (this.session) return this.post(encryptMessage(this.session, xml), { "Content-Type": CONTENT_TYPE });
    return this.post(xml, { "Content-Type": "application/soap+xml;charset=UTF-8" });
  }

  private basicHeader(): string {
    return `Basic ${Buffer.from(`${this.o.user}:${this.o.password}`, "utf8").toString("base64")}`;
  }

  private async authenticate(first: Buffer): Promise<HttpReply> {
    const plain = { "Content-Type": "application/soap+xml;charset=UTF-8" };
    if (this.o.auth === "basic") return this.startBasic(first);
    const negotiate = createNegotiateMessage();
    const r1 = await this.post(Buffer.alloc(0), { Authorization: `Negotiate ${negotiate.toString("base64")}` });
    const offers = headerList(r1.headers["www-authenticate"]);
    const token = offers.map((h) => /^(?:Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h)?.[1]).find(Boolean);
    if (r1.status !== 401 || !token) {
      if (this.o.https && this.o.auth !== "ntlm" && offers.some((h) => /^Basic\b/i.test(h))) return this.startBasic(first);
      if (r1.status === 401 && offers.some((h) => /^(Negotiate|NTLM)$/i.test(h))) {
        // The scheme is offered but our NEGOTIATE got no challenge: the server refuses us.
        throw new TransportError("auth_failed", `WinRM refused NTLM authentication for ${this.o.user}`);
      }
      throw new TransportError("error", `WinRM did not answer NTLM negotiation (HTTP ${r1.status}; offers ${offers.map((h) => h.split(" ")[0]).join(", ") || "none"})`);
    }
    let auth;
    try {
      auth = createAuthenticateMessage({ user: this.o.user, password: this.o.password, negotiate, challenge: Buffer.from(token, "base64") });
    } catch (err) {
      throw new TransportError("error", `NTLM: ${err instanceof NtlmError ? err.message : String(err)}`);
    }
    const header = { Authorization: `Negotiate ${auth.message.toString("base64")}` };
    if (this.o.https) {
      // TLS protects the messages: the first one rides with the AUTHENTICATE message.
      const r = await this.post(first, { ...plain, ...header });
      if (r.status === 401) throw new TransportError("auth_failed", `WinRM refused the credentials of ${this.o.user}`);
      this.authenticated = true;
      return r;
    }
    // Over HTTP, sealing keys exist only once the server has the AUTHENTICATE message (MS-WSMV 3.1.4.1.39).
    const r2 = await this.post(Buffer.alloc(0), header);
    if (r2.status === 401) throw new TransportError("auth_failed", `WinRM refused the credentials of ${this.o.user}`);
    if (r2.status !== 200) throw new TransportError("error", `WinRM answered HTTP ${r2.status} to NTLM authentication`);
    this.session = auth.session;
    this.authenticated = true;
    return this.post(encryptMessage(this.session, first), { "Content-Type": CONTENT_TYPE });
  }

  private async startBasic(first: Buffer): Promise<HttpReply> {
    if (!this.o.https) throw new TransportError("error", "the server offers only Basic authentication, which is refused over plain HTTP");
    this.basic = true;
    const r = await this.post(first, { "Content-Type": "application/soap+xml;charset=UTF-8", Authorization: this.basicHeader() });
    if (r.status === 401) throw new TransportError("auth_failed", `WinRM refused the credentials of ${this.o.user}`);
    this.authenticated = true;
    return r;
  }

  private post(body: Buffer, headers: Record<string, string>): Promise<HttpReply> {
    this.requests++;
    const mod = this.o.https ? https : http;
    return new Promise<HttpReply>((resolve, reject) => {
      const req = mod.request(
        {
          host: this.o.host,
          port: this.o.port,
          path: "/wsman",
          method: "POST",
          agent: this.agent,
          signal: this.o.signal,
          timeout: this.opTimeout * 1000 + (this.o.requestSlackMs ?? 30_000),
          headers: { ...headers, "Content-Length": String(body.length), Connection: "Keep-Alive", "User-Agent": "hipaa-scan" },
        },
        (res) => {
          this.everConnected = true;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(new TransportError("error", "WinRM reply is larger than 32 MiB"));
              return;
            }
            chunks.push(c);
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", (e) => reject(this.wrapError(e)));
        },
      );
      req.on("socket", (s) => {
        // A kept-alive socket is reused already connected: listening again would add listeners that never fire.
        if (!s.connecting) {
          this.everConnected = true;
          return;
        }
        const connected = () => {
          this.everConnected = true;
          s.off("connect", connected).off("secureConnect", connected);
        };
        s.once("connect", connected).once("secureConnect", connected);
      });
      req.on("timeout", () => req.destroy(new TransportError("error", "WinRM request timed out")));
      req.on("error", (e) => reject(this.wrapError(e)));
      req.end(body);
    });
  }

  private wrapError(e: Error): Error {
    if (e instanceof TransportError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (this.o.signal.aborted) return new TransportError("error", "WinRM collection stopped at the deadline", { cause: e });
    if (TLS_TRUST.test(code)) {
      return new TransportError("error", `TLS certificate of ${this.o.host} is not trusted (${code}); give --ca-file, or knowingly --insecure-tls`, { cause: e });
    }
    if (!this.everConnected && (UNREACHABLE.has(code) || code === "ETIMEDOUT")) {
      return new TransportError("unreachable", `cannot reach WinRM at ${this.o.host}:${this.o.port} (${code})`, { cause: e });
    }
    if (code === "ECONNRESET" || /socket hang up/i.test(e.message)) {
      return new TransportError("error", "WinRM connection was reset mid-exchange", { cause: e });
    }
    return new TransportError("error", `WinRM transport error: ${code || e.message}`, { cause: e });
  }
}

/** Splits a WWW-Authenticate header (one string or several) into its offers. */
function headerList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  const all = Array.isArray(v) ? v : [v];
  return all.flatMap((h) => h.split(/,\s*(?=[A-Za-z]+(?:\s|$))/)).map((h) => h.trim()).filter(Boolean);
}
