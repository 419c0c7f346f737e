import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { CONTENT_TYPE, decryptMessage, encryptMessage, isEncryptedContentType } from "../../../src/transports/winrm/encryption.js";
import { AvId, Flags, acceptAuthenticateMessage, encodeAvPairs, fileTimeNow, type SessionSecurity } from "../../../src/transports/winrm/ntlm.js";
import { Action, COMMAND_STATE_DONE, NS, attrOf, findAll, findFirst, parseXml, textOf, xmlEscape, type XNode } from "../../../src/transports/winrm/soap.js";

/**
 * A WS-Management endpoint for tests: the Windows Remote Shell operations (Create, Command, Send,
 * Receive, Signal, Delete) with NTLM over HTTP where every message is sealed (as Windows requires
 * with AllowUnencrypted=false), NTLM or Basic over HTTPS, and injectable faults. Commands are
 * answered by a handler (see responses.ts) from captured Windows outputs.
 */

export interface CommandRequest {
  command: string;
  args: string[];
  stdin: Buffer;
  stdinClosed: boolean;
}
export interface CommandResult {
  stdout: string | Buffer;
  stderr?: string | Buffer;
  exitCode: number;
}
/** Returns the result, or `undefined` while the command still waits for stdin. */
export type CommandHandler = (req: CommandRequest) => CommandResult | undefined;

export interface Faults {
  /** Answer the first N Receive requests with the OperationTimeout fault (2150858793). */
  receiveTimeouts?: number;
  /** Answer every Receive with the OperationTimeout fault. */
  receiveAlwaysTimesOut?: boolean;
  /** Answer this action with HTTP 500 and a WS-Man fault body. */
  failAction?: { action: keyof typeof Action; wsmanCode: string; reason: string };
  /** Cut the connection in the middle of the reply to this action. */
  resetOn?: keyof typeof Action;
  /** Answer every request with 401. */
  always401?: boolean;
  /** Reply with a RelatesTo that does not match the request's MessageID. */
  wrongRelatesTo?: boolean;
}

export interface ServerOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** user name (case-insensitive) → password. */
  users: Record<string, string>;
  auth?: { negotiate?: boolean; basic?: boolean };
  commands: CommandHandler;
  faults?: Faults;
  /** Largest stream payload per Receive reply (bytes before base64). */
  receiveChunk?: number;
}

export interface ServerStats {
  requests: number;
  actions: string[];
  /** Requests that carried each auth scheme. */
  auth: Record<string, number>;
  encryptedRequests: number;
  plainRequests: number;
  /** MaxEnvelopeSize of each Receive request. */
  maxEnvelopeSizes: number[];
  /** Number of stdin Stream elements received by Send. */
  stdinChunks: number;
}

export interface RunningServer {
  port: number;
  url: string;
  stats: ServerStats;
  faults: Faults;
  close(): Promise<void>;
}

interface Conn {
  negotiate?: Buffer;
  challenge?: Buffer;
  serverChallenge?: Buffer;
  session?: SessionSecurity;
  authed?: boolean;
}

interface Command {
  id: string;
  command: string;
  args: string[];
  stdin: Buffer[];
  stdinClosed: boolean;
  result?: { out: Buffer; err: Buffer; exitCode: number; outPos: number; errPos: number };
}

const WSMANFAULT_NS = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
const MACHINE = "WIN-HSW";

export async function startWinRmServer(o: ServerOptions): Promise<RunningServer> {
  const isHttps = o.tls !== undefined;
  const allowNegotiate = o.auth?.negotiate ?? true;
  const allowBasic = (o.auth?.basic ?? isHttps) && isHttps;
  const faults: Faults = o.faults ?? {};
  const stats: ServerStats = { requests: 0, actions: [], auth: {}, encryptedRequests: 0, plainRequests: 0, maxEnvelopeSizes: [], stdinChunks: 0 };
  const conns = new WeakMap<Socket, Conn>();
  const shells = new Map<string, Map<string, Command>>();
  let receiveCount = 0;
  let port = 0;

  const lookup = (user: string) => {
    const key = Object.keys(o.users).find((u) => u.toLowerCase() === user.toLowerCase());
    return key === undefined ? undefined : o.users[key];
  };

  function offers(): string[] {
    const list: string[] = [];
    if (allowNegotiate) list.push("Negotiate");
    if (allowBasic) list.push('Basic realm="WSMAN"');
    return list;
  }

  function send401(res: http.ServerResponse, header?: string[]): void {
    res.writeHead(401, { "WWW-Authenticate": header ?? offers(), "Content-Length": "0", Server: "Microsoft-HTTPAPI/2.0" });
    res.end();
  }

  function challengeFor(negotiate: Buffer, serverChallenge: Buffer): Buffer {
    const clientFlags = negotiate.length >= 16 ? negotiate.readUInt32LE(12) : 0;
    const keep =
      Flags.UNICODE | Flags.REQUEST_TARGET | Flags.SIGN | Flags.SEAL | Flags.NTLM | Flags.ALWAYS_SIGN | Flags.EXTENDED_SESSIONSECURITY | Flags.VERSION | Flags.KEY_128 | Flags.KEY_EXCH | Flags.KEY_56;
    const flags = ((clientFlags & keep) | Flags.TARGET_INFO | 0x00010000) >>> 0; // TARGET_TYPE_DOMAIN
    const name = Buffer.from("WINLAB", "utf16le");
    const ti = encodeAvPairs([
      { id: AvId.NbDomainName, value: Buffer.from("WINLAB", "utf16le") },
      { id: AvId.NbComputerName, value: Buffer.from(MACHINE, "utf16le") },
      { id: AvId.DnsDomainName, value: Buffer.from("winlab.test", "utf16le") },
      { id: AvId.DnsComputerName, value: Buffer.from("win-hsw.winlab.test", "utf16le") },
      { id: AvId.Timestamp, value: fileTimeNow() },
    ]);
    const msg = Buffer.alloc(56 + name.length + ti.length);
    msg.write("NTLMSSP\0", 0, "latin1");
    msg.writeUInt32LE(2, 8);
    msg.writeUInt16LE(name.length, 12);
    msg.writeUInt16LE(name.length, 14);
    msg.writeUInt32LE(56, 16);
    msg.writeUInt32LE(flags, 20);
    serverChallenge.copy(msg, 24);
    msg.writeUInt16LE(ti.length, 40);
    msg.writeUInt16LE(ti.length, 42);
    msg.writeUInt32LE(56 + name.length, 44);
    Buffer.from([10, 0, 0x7c, 0x4f, 0, 0, 0, 15]).copy(msg, 48);
    name.copy(msg, 56);
    ti.copy(msg, 56 + name.length);
    return msg;
  }

  function envelope(action: string, relatesToId: string, body: string): string {
    const relatesTo = faults.wrongRelatesTo ? `uuid:${randomUUID().toUpperCase()}` : relatesToId;
    return (
      `<s:Envelope xml:lang="en-US" xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:w="${NS.w}" xmlns:rsp="${NS.rsp}" xmlns:p="${NS.p}">` +
      `<s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
      `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>${xmlEscape(relatesTo)}</a:RelatesTo></s:Header>` +
      `<s:Body>${body}</s:Body></s:Envelope>`
    );
  }

  function fault(relatesTo: string, subcode: string, code: string, reason: string): { status: number; xml: string } {
    const body =
      `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en-US">${xmlEscape(reason)}</s:Text></s:Reason>` +
      `<s:Detail><f:WSManFault xmlns:f="${WSMANFAULT_NS}" Code="${code}" Machine="${MACHINE}"><f:Message>${xmlEscape(reason)}</f:Message></f:WSManFault></s:Detail></s:Fault>`;
    return { status: 500, xml: envelope("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relatesTo, body) };
  }

  function runIfReady(cmd: Command): void {
    if (cmd.result) return;
    const r = o.commands({ command: cmd.command, args: cmd.args, stdin: Buffer.concat(cmd.stdin), stdinClosed: cmd.stdinClosed });
    if (!r) return;
    const buf = (v: string | Buffer | undefined) => (v === undefined ? Buffer.alloc(0) : typeof v === "string" ? Buffer.from(v, "utf8") : v);
    cmd.result = { out: buf(r.stdout), err: buf(r.stderr), exitCode: r.exitCode, outPos: 0, errPos: 0 };
  }

  function dispatch(xml: string): { status: number; xml: string; action: string } {
    let doc: XNode;
    try {
      doc = parseXml(xml);
    } catch {
      return { ...fault("", "w:SchemaValidationError", "2150858817", "The SOAP XML in the message does not match the corresponding XML schema definition."), action: "?" };
    }
    const header = findFirst(doc, "Header");
    const action = textOf(header && findFirst(header, "Action")).trim();
    const messageId = textOf(header && findFirst(header, "MessageID")).trim();
    const short = Object.entries(Action).find(([, v]) => v === action)?.[0] as keyof typeof Action | undefined;
    stats.actions.push(short ?? action);
    if (!messageId || !header || !findFirst(header, "MaxEnvelopeSize") || !findFirst(header, "OperationTimeout")) {
      return { ...fault(messageId, "w:InvalidHeader", "2150858817", "A required header (MessageID, MaxEnvelopeSize or OperationTimeout) is missing."), action: short ?? action };
    }
    if (faults.failAction && faults.failAction.action === short) {
      return { ...fault(messageId, "w:InternalError", faults.failAction.wsmanCode, faults.failAction.reason), action: short };
    }
    const shellId = textOf(findAll(header, "Selector").find((s) => attrOf(s, "Name") === "ShellId")).trim();
    const body = findFirst(doc, "Body") ?? {};
    const shell = shells.get(shellId);
    const noShell = () => ({ ...fault(messageId, "w:InvalidSelectors", "2150858843", "The request for the Windows Remote Shell with ShellId " + shellId + " failed because the shell was not found on the server."), action: short ?? action });
    switch (short) {
      case "create": {
        const id = randomUUID().toUpperCase();
        shells.set(id, new Map());
        return {
          status: 200,
          action: short,
          xml: envelope(
            "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
            messageId,
            `<x:ResourceCreated><a:Address>http://127.0.0.1:${port}/wsman</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
              `<rsp:Shell xmlns:rsp="${NS.rsp}"><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</rsp:ResourceUri><rsp:Owner>${MACHINE}\\user</rsp:Owner><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
          ),
        };
      }
      case "command": {
        if (!shell) return noShell();
        const line = findFirst(body, "CommandLine");
        const command = textOf(line && findFirst(line, "Command")).trim();
        const args = line ? findAll(line, "Arguments").map((a) => textOf(a)) : [];
        const id = randomUUID().toUpperCase();
        shell.set(id, { id, command, args, stdin: [], stdinClosed: false });
        return { status: 200, action: short, xml: envelope(`${NS.rsp}/CommandResponse`, messageId, `<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`) };
      }
      case "send": {
        if (!shell) return noShell();
        for (const s of findAll(body, "Stream")) {
          const cmd = shell.get(attrOf(s, "CommandId") ?? "");
          if (!cmd) return { ...fault(messageId, "w:InvalidParameter", "2150858882", "Unknown CommandId."), action: short };
          cmd.stdin.push(Buffer.from(textOf(s).trim(), "base64"));
          stats.stdinChunks++;
          if (attrOf(s, "End") === "true") cmd.stdinClosed = true;
        }
        return { status: 200, action: short, xml: envelope(`${NS.rsp}/SendResponse`, messageId, `<rsp:SendResponse/>`) };
      }
      case "receive": {
        if (!shell) return noShell();
        receiveCount++;
        const desired = findFirst(body, "DesiredStream");
        const cmd = shell.get(attrOf(desired, "CommandId") ?? "");
        if (!cmd) return { ...fault(messageId, "w:InvalidParameter", "2150858882", "Unknown CommandId."), action: short };
        if (faults.receiveAlwaysTimesOut || (faults.receiveTimeouts ?? 0) >= receiveCount) {
          return { ...fault(messageId, "w:TimedOut", "2150858793", "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  "), action: short };
        }
        runIfReady(cmd);
        if (!cmd.result) {
          return { ...fault(messageId, "w:TimedOut", "2150858793", "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  "), action: short };
        }
        const r = cmd.result;
        // A reply must fit the client's MaxEnvelopeSize (base64 grows data by 4/3; leave room for the envelope).
        const maxEnvelope = Number(textOf(findFirst(header, "MaxEnvelopeSize")).trim()) || 153600;
        const chunk = Math.max(512, Math.min(o.receiveChunk ?? 96 * 1024, Math.floor(((maxEnvelope - 4096) * 3) / 4)));
        stats.maxEnvelopeSizes.push(maxEnvelope);
        const streams: string[] = [];
        let budget = chunk;
        const take = (name: "stdout" | "stderr") => {
          const data = name === "stdout" ? r.out : r.err;
          const pos = name === "stdout" ? r.outPos : r.errPos;
          const n = Math.min(budget, data.length - pos);
          for (let off = 0; off < n; off += 8192) {
            const part = data.subarray(pos + off, pos + Math.min(n, off + 8192));
            streams.push(`<rsp:Stream Name="${name}" CommandId="${cmd.id}">${part.toString("base64")}</rsp:Stream>`);
          }
          budget -= n;
          if (name === "stdout") r.outPos += n;
          else r.errPos += n;
        };
        take("stdout");
        take("stderr");
        const done = r.outPos >= r.out.length && r.errPos >= r.err.length;
        const state = done
          ? `<rsp:Stream Name="stdout" CommandId="${cmd.id}" End="true"></rsp:Stream><rsp:Stream Name="stderr" CommandId="${cmd.id}" End="true"></rsp:Stream>` +
            `<rsp:CommandState CommandId="${cmd.id}" State="${COMMAND_STATE_DONE}"><rsp:ExitCode>${r.exitCode}</rsp:ExitCode></rsp:CommandState>`
          : `<rsp:CommandState CommandId="${cmd.id}" State="${NS.rsp}/CommandState/Running"></rsp:CommandState>`;
        return { status: 200, action: short, xml: envelope(`${NS.rsp}/ReceiveResponse`, messageId, `<rsp:ReceiveResponse>${streams.join("")}${state}</rsp:ReceiveResponse>`) };
      }
      case "signal": {
        if (!shell) return noShell();
        const sig = findFirst(body, "Signal");
        shell.delete(attrOf(sig, "CommandId") ?? "");
        return { status: 200, action: short, xml: envelope(`${NS.rsp}/SignalResponse`, messageId, `<rsp:SignalResponse/>`) };
      }
      case "delete": {
        if (!shell) return noShell();
        shells.delete(shellId);
        return { status: 200, action: short, xml: envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse", messageId, "") };
      }
      default:
        return { ...fault(messageId, "a:ActionNotSupported", "2150858754", "The WS-Management service cannot process the request because the action is not supported."), action: action };
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c);
    }
    const body = Buffer.concat(chunks);
    if (req.method !== "POST" || req.url !== "/wsman") {
      res.writeHead(404, { "Content-Length": "0" }).end();
      return;
    }
    if (faults.always401) return send401(res);
    const socket = req.socket;
    const conn = conns.get(socket) ?? {};
    conns.set(socket, conn);
    const authz = req.headers.authorization;
    let plainAllowed = isHttps;
    if (authz) {
      const sp = authz.indexOf(" ");
      const scheme = sp < 0 ? authz : authz.slice(0, sp);
      const token = sp < 0 ? "" : authz.slice(sp + 1).trim();
      stats.auth[scheme] = (stats.auth[scheme] ?? 0) + 1;
      if (/^(Negotiate|NTLM)$/i.test(scheme) && allowNegotiate) {
        const msg = Buffer.from(token, "base64");
        const type = msg.length >= 12 && msg.subarray(0, 8).toString("latin1") === "NTLMSSP\0" ? msg.readUInt32LE(8) : 0;
        if (type === 1) {
          conn.negotiate = msg;
          conn.serverChallenge = randomBytes(8);
          conn.challenge = challengeFor(msg, conn.serverChallenge);
          conn.session = undefined;
          conn.authed = false;
          return send401(res, [`${scheme} ${conn.challenge.toString("base64")}`]);
        }
        if (type === 3 && conn.serverChallenge) {
          const accepted = acceptAuthenticateMessage({ message: msg, serverChallenge: conn.serverChallenge, negotiate: conn.negotiate, challenge: conn.challenge, lookupPassword: lookup });
          conn.serverChallenge = undefined;
          if (!accepted) return send401(res);
          conn.session = accepted.session;
          conn.authed = true;
          if (body.length === 0) {
            res.writeHead(200, { "Content-Length": "0", Server: "Microsoft-HTTPAPI/2.0" }).end();
            return;
          }
        } else return send401(res);
      } else if (/^Basic$/i.test(scheme) && allowBasic) {
        const [user, ...rest] = Buffer.from(token, "base64").toString("utf8").split(":");
        const want = lookup(user ?? "");
        const got = Buffer.from(rest.join(":"));
        if (want === undefined || got.length !== Buffer.byteLength(want) || !timingSafeEqual(got, Buffer.from(want))) return send401(res);
        plainAllowed = true;
      } else return send401(res);
    } else if (!conn.authed) {
      return send401(res);
    }

    let xml: Buffer;
    const encrypted = isEncryptedContentType(req.headers["content-type"]);
    if (encrypted) {
      stats.encryptedRequests++;
      if (!conn.session) return send401(res);
      try {
        xml = decryptMessage(conn.session, body);
      } catch {
        res.writeHead(400, { "Content-Length": "0" }).end();
        return;
      }
    } else {
      stats.plainRequests++;
      // AllowUnencrypted=false: over HTTP only sealed messages are accepted.
      if (!plainAllowed) {
        res.writeHead(400, { "Content-Length": "0" }).end();
        return;
      }
      xml = body;
    }
    const reply = dispatch(xml.toString("utf8"));
    let out: Buffer = Buffer.from(reply.xml, "utf8");
    const headers: Record<string, string> = { Server: "Microsoft-HTTPAPI/2.0" };
    if (encrypted && conn.session) {
      out = encryptMessage(conn.session, out);
      headers["Content-Type"] = CONTENT_TYPE;
    } else headers["Content-Type"] = "application/soap+xml;charset=UTF-8";
    headers["Content-Length"] = String(out.length);
    if (faults.resetOn && faults.resetOn === reply.action) {
      res.writeHead(reply.status, headers);
      res.write(out.subarray(0, Math.floor(out.length / 2)));
      setTimeout(() => socket.resetAndDestroy(), 10);
      return;
    }
    res.writeHead(reply.status, headers);
    res.end(out);
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "Content-Length": "0" });
      res.end();
    });
  };
  const server = isHttps ? https.createServer({ key: o.tls!.key, cert: o.tls!.cert }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${isHttps ? "https" : "http"}://127.0.0.1:${port}/wsman`,
    stats,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
