import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { TransportError } from "../../core/errors.js";
import { childEnv } from "../child-env.js";
import { isValidHost } from "../../core/targets.js";
import { isIP } from "node:net";
import { toNmapHost, type NmapHost } from "./host.js";
import { attr, child, num, NmapXmlError, NmapXmlStream, DEFAULT_XML_LIMITS, type XmlStreamLimits } from "./xml.js";

/**
 * Runs nmap with an argument array (never a shell) and reads its XML from stdout as it arrives.
 * Hosts are kept as soon as nmap finishes them, so an abort (Ctrl-C, deadline) or a crash still
 * returns every host completed before it.
 */

export interface NmapRunOptions {
  /** Options from the scan profile; never built from target text. */
  args: string[];
  /** Validated targets (IP, CIDR, host name); appended after `--`. */
  targets: string[];
  signal: AbortSignal;
  /** nmap binary; default `nmap` from PATH. */
  nmapPath?: string;
  onProgress?: (p: { task: string; percent: number | null }) => void;
  onHost?: (h: NmapHost) => void;
  limits?: XmlStreamLimits;
  /** Prefix to run nmap under, e.g. `["ip", "netns", "exec", "lab"]` (tests and benchmarks only). */
  wrapper?: string[];
}

export interface NmapRunStats {
  /** `runstats/finished/@exit`: `success` or `error`. */
  exit: string | null;
  errormsg: string | null;
  elapsed: number | null;
  summary: string | null;
  hostsUp: number | null;
  hostsDown: number | null;
  hostsTotal: number | null;
}

/** Reads a `<runstats>` record (the same from a live run and from a saved `-oX` file). */
export function parseRunstats(node: Parameters<typeof child>[0]): NmapRunStats {
  const fin = child(node, "finished");
  const hosts = child(node, "hosts");
  return {
    exit: attr(fin, "exit") ?? null,
    errormsg: attr(fin, "errormsg") ?? null,
    elapsed: num(attr(fin, "elapsed")),
    summary: attr(fin, "summary") ?? null,
    hostsUp: num(attr(hosts, "up")),
    hostsDown: num(attr(hosts, "down")),
    hostsTotal: num(attr(hosts, "total")),
  };
}

export interface NmapRunResult {
  version: string | null;
  /** The command line nmap recorded (`nmaprun/@args`). */
  args: string | null;
  hosts: NmapHost[];
  /** null when nmap ended without writing runstats (killed, crashed, output cut). */
  runstats: NmapRunStats | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  aborted: boolean;
  /** Why the XML could not be read to the end; null when it was. */
  xmlError: string | null;
  /** `</nmaprun>` seen. */
  complete: boolean;
  /** hipaa-scan stopped nmap itself because its output was unreadable. */
  stoppedForXml: boolean;
  /** nmap's stderr (warnings, errors), cut to 64 KiB. */
  stderr: string;
  /** `<output>` records (nmap's own error text in XML). */
  outputs: string[];
}

const MAX_STDERR = 64 * 1024;
const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

/** A target nmap may see: an IP, a CIDR or a host name; never anything that could parse as an option. */
export function assertSafeTarget(t: string): void {
  const ok =
    !t.startsWith("-") &&
    !/\s/.test(t) &&
    (isValidHost(t) || (CIDR.test(t) && isIP(t.split("/")[0]!) !== 0));
  if (!ok) throw new TransportError("error", `refusing to pass "${t.slice(0, 80)}" to nmap as a target`);
}

export function runNmap(opts: NmapRunOptions): Promise<NmapRunResult> {
  for (const t of opts.targets) assertSafeTarget(t);
  if (opts.targets.length === 0) throw new TransportError("error", "no nmap targets");
  const nmap = opts.nmapPath ?? "nmap";
  const argv = [...(opts.wrapper ?? []), nmap, ...opts.args, "--", ...opts.targets];
  const result: NmapRunResult = {
    version: null,
    args: null,
    hosts: [],
    runstats: null,
    exitCode: null,
    signal: null,
    aborted: false,
    xmlError: null,
    complete: false,
    stoppedForXml: false,
    stderr: "",
    outputs: [],
  };
  return new Promise((resolve, reject) => {
    if (opts.signal.aborted) {
      result.aborted = true;
      resolve(result);
      return;
    }
    const child_ = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], shell: false, env: childEnv() });
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (child_.exitCode !== null || child_.signalCode !== null) return;
      child_.kill("SIGTERM");
      killTimer = setTimeout(() => child_.kill("SIGKILL"), 3000);
      killTimer.unref();
    };
    const onAbort = () => {
      result.aborted = true;
      stop();
    };
    opts.signal.addEventListener("abort", onAbort, { once: true });
    const stream = new NmapXmlStream((e) => {
      if (e.type === "nmaprun") {
        result.version = attr(e.attrs, "version") ?? null;
        result.args = attr(e.attrs, "args") ?? null;
      } else if (e.type === "host") {
        const h = toNmapHost(e.node);
        result.hosts.push(h);
        opts.onHost?.(h);
      } else if (e.type === "progress") opts.onProgress?.({ task: e.task, percent: e.percent });
      else if (e.type === "output") result.outputs.push(e.text.slice(0, 4096));
      else if (e.type === "runstats") result.runstats = parseRunstats(e.node);
    }, opts.limits ?? DEFAULT_XML_LIMITS);
    const decoder = new StringDecoder("utf8");
    child_.stdout.on("data", (chunk: Buffer) => {
      if (result.xmlError) return;
      try {
        stream.push(decoder.write(chunk));
      } catch (err) {
        result.xmlError = err instanceof NmapXmlError ? err.message : String(err);
        result.stoppedForXml = true;
        stop();
      }
    });
    child_.stderr.on("data", (chunk: Buffer) => {
      if (result.stderr.length < MAX_STDERR) result.stderr += chunk.toString("utf8").slice(0, MAX_STDERR - result.stderr.length);
    });
    child_.on("error", (err: NodeJS.ErrnoException) => {
      opts.signal.removeEventListener("abort", onAbort);
      if (err.code === "ENOENT") {
        reject(
          new TransportError(
            "error",
            `nmap not found (${nmap}): install it (Debian/Ubuntu: apt-get install nmap) or put it on PATH`,
            { cause: err },
          ),
        );
      } else reject(new TransportError("error", `could not start nmap: ${err.message}`, { cause: err }));
    });
    child_.on("close", (code, sig) => {
      if (killTimer) clearTimeout(killTimer);
      opts.signal.removeEventListener("abort", onAbort);
      if (!result.xmlError) {
        try {
          stream.push(decoder.end());
        } catch (err) {
          result.xmlError = err instanceof NmapXmlError ? err.message : String(err);
        }
      }
      result.complete = stream.complete;
      if (!result.xmlError && !stream.complete && !result.aborted) {
        result.xmlError =
          stream.pending > 0 ? "nmap XML output ends in the middle of a record (truncated)" : "nmap XML output ended without </nmaprun>";
      }
      result.exitCode = code;
      result.signal = sig;
      resolve(result);
    });
  });
}
