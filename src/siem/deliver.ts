import { hostname } from "node:os";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { request } from "node:https";
import { UsageError } from "../core/errors.js";
import type { HistoryStore } from "../history/types.js";
import type { SiemEvent } from "./events.js";

/**
 * Delivery to SIEMs. Each destination gets the events queued for it by earlier runs first, then
 * this run's; the queue lives in the history store and an event leaves it only once its batch was
 * accepted (the TLS/TCP stream written and closed cleanly, or HTTP 2xx). Without a history
 * (`--no-history`) undelivered events are lost and counted.
 */
export interface SiemDestination {
  url: string;
  /** The URL without credentials: the queue's key and what messages show. */
  key: string;
  scheme: "syslog+tls" | "syslog+tcp" | "https";
  host: string;
  port: number;
  path: string;
  token?: string;
  ca?: string;
}

export function parseSiemUrl(url: string, extra: { token?: string; ca?: string }): SiemDestination {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--siem ${url}: not a URL (syslog+tls://host:6514, syslog+tcp://host:514, https://host/path)`);
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== "syslog+tls" && scheme !== "syslog+tcp" && scheme !== "https") throw new UsageError(`--siem ${url}: scheme must be syslog+tls, syslog+tcp or https`);
  if (u.username || u.password) throw new UsageError("--siem: credentials in the URL are refused; use --siem-token-env VAR");
  if (!u.hostname) throw new UsageError(`--siem ${url}: no host`);
  const port = u.port ? Number(u.port) : scheme === "syslog+tls" ? 6514 : scheme === "syslog+tcp" ? 514 : 443;
  return { url, key: `${scheme}://${u.host}${u.pathname === "/" ? "" : u.pathname}`, scheme, host: u.hostname.replace(/^\[|\]$/g, ""), port, path: `${u.pathname}${u.search}`, ...extra };
}

const SYSLOG_SEVERITY: Record<number, number> = { 5: 2, 4: 3, 3: 4, 2: 5, 1: 6 };
const FACILITY_LOG_AUDIT = 13;

/** One RFC 5424 message: `<PRI>1 TIMESTAMP HOST hipaa-scan PID MSGID - JSON`. */
export function syslogMessage(event: SiemEvent, host = hostname()): string {
  const pri = FACILITY_LOG_AUDIT * 8 + (SYSLOG_SEVERITY[event.severity_id] ?? 6);
  const h = host.replace(/[^\x21-\x7e]/g, "").slice(0, 255) || "-";
  return `<${pri}>1 ${new Date(event.time).toISOString()} ${h} hipaa-scan ${process.pid} ${event.metadata.log_name} - ${JSON.stringify(event)}`;
}

/** RFC 5425 / RFC 6587 octet counting: `LENGTH SP MESSAGE`, LENGTH in bytes. */
export const octetFrame = (msg: string) => `${Buffer.byteLength(msg, "utf8")} ${msg}`;

/** Sends and returns how many events are still pending across all destinations. */
export async function deliverEvents(store: HistoryStore | undefined, destinations: SiemDestination[], events: SiemEvent[], timeoutMs = 15_000): Promise<number> {
  const lines = events.map((e) => JSON.stringify(e));
  let lost = 0;
  for (const d of destinations) {
    if (store) {
      await store.enqueue(d.key, lines, new Date().toISOString());
      const queued = await store.queued(d.key);
      try {
        await send(d, queued.map((q) => q.event), timeoutMs);
        await store.dequeue(queued.map((q) => q.id));
      } catch {
        /* stays queued for the next run; the report counts it */
      }
    } else {
      await send(d, lines, timeoutMs).catch(() => {
        lost += lines.length;
      });
    }
  }
  return store ? store.pendingCount() : lost;
}

function send(d: SiemDestination, lines: string[], timeoutMs: number): Promise<void> {
  if (lines.length === 0) return Promise.resolve();
  if (d.scheme === "https") return postLines(d, lines, timeoutMs);
  const payload = lines.map((l) => octetFrame(syslogMessage(JSON.parse(l) as SiemEvent))).join("");
  return new Promise((resolve, reject) => {
    const socket: Socket =
      d.scheme === "syslog+tls"
        ? tlsConnect({ host: d.host, port: d.port, servername: /^[\d.:]+$/.test(d.host) ? undefined : d.host, ...(d.ca ? { ca: d.ca } : {}) })
        : netConnect({ host: d.host, port: d.port });
    const timer = setTimeout(() => socket.destroy(new Error(`${d.key}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once(d.scheme === "syslog+tls" ? "secureConnect" : "connect", () => {
      socket.end(payload, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  });
}

function postLines(d: SiemDestination, lines: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = `${lines.join("\n")}\n`;
    const req = request(
      {
        host: d.host,
        port: d.port,
        path: d.path || "/",
        method: "POST",
        timeout: timeoutMs,
        headers: { "content-type": "application/x-ndjson", "content-length": Buffer.byteLength(body), ...(d.token ? { authorization: `Bearer ${d.token}` } : {}) },
        ...(d.ca ? { ca: d.ca } : {}),
      },
      (res) => {
        res.resume();
        res.on("end", () => ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${d.key}: HTTP ${res.statusCode}`))));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${d.key}: timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}
