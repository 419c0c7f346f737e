import { RemoteOutputError } from "../../core/errors.js";
import { XMLParser } from "fast-xml-parser";

/**
 * Incremental reader for nmap's `-oX -` stream. nmap writes each top-level record (`<taskprogress/>`,
 * `<host>…</host>`, `<runstats>…</runstats>`) as soon as it is complete, so the stream is cut into those
 * records and each record is parsed on its own with fast-xml-parser. A scan that is killed half-way
 * still yields every host finished before the kill.
 *
 * Hostile or broken input cannot bloat the process: total and per-record sizes are capped, a DOCTYPE
 * with an internal subset and any other `<!` declaration are refused (no entity definitions ever reach
 * the parser), and fast-xml-parser's own entity limits stay on as a second line.
 */

/** A parsed XML element: attributes as strings, child elements as arrays, text under `#text`. */
export type XmlNode = { [key: string]: string | XmlNode[] | undefined };

export type NmapXmlEvent =
  | { type: "nmaprun"; attrs: XmlNode }
  | { type: "progress"; task: string; percent: number | null; etc: number | null }
  | { type: "host"; node: XmlNode }
  | { type: "runstats"; node: XmlNode }
  | { type: "output"; text: string };

export class NmapXmlError extends RemoteOutputError {}

export interface XmlStreamLimits {
  /** Largest whole stream accepted, in characters. */
  maxTotal: number;
  /** Largest single record (one `<host>` element), in characters. */
  maxRecord: number;
}

export const DEFAULT_XML_LIMITS: XmlStreamLimits = { maxTotal: 512 * 1024 * 1024, maxRecord: 16 * 1024 * 1024 };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Every child element is a list, attributes stay plain strings: one access pattern everywhere.
  isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  htmlEntities: true,
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 1, maxTotalExpansions: 100_000, maxExpandedLength: 4_000_000 },
  textNodeName: "#text",
});

/** Parses one complete record; returns the element node. */
export function parseRecord(xml: string, name: string): XmlNode {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new NmapXmlError(`malformed <${name}> record: ${(err as Error).message.slice(0, 200)}`);
  }
  const list = doc[name];
  if (!Array.isArray(list) || list.length !== 1 || typeof list[0] !== "object") {
    throw new NmapXmlError(`malformed <${name}> record`);
  }
  return list[0] as XmlNode;
}

const NAME = /^<([A-Za-z_][A-Za-z0-9_.-]*)/;
/** Records whose content we read; other top-level elements (scaninfo, verbose, hosthint, …) are skipped. */
const WANTED = new Set(["host", "runstats", "taskprogress", "output", "nmaprun"]);

export class NmapXmlStream {
  private buf = "";
  private total = 0;
  private closed = false;
  private sawRoot = false;

  constructor(
    private readonly onEvent: (e: NmapXmlEvent) => void,
    private readonly limits: XmlStreamLimits = DEFAULT_XML_LIMITS,
  ) {}

  /** The closing `</nmaprun>` arrived. */
  get complete(): boolean {
    return this.closed;
  }

  /** Feeds more text. Throws {@link NmapXmlError} on hostile, oversized or malformed input. */
  push(text: string): void {
    this.total += text.length;
    if (this.total > this.limits.maxTotal) {
      throw new NmapXmlError(`nmap XML output passed ${this.limits.maxTotal} characters; stopped reading`);
    }
    this.buf += text;
    this.drain();
  }

  /** Characters received but not yet forming a complete record (a truncated tail). */
  get pending(): number {
    return this.buf.trim().length;
  }

  private drain(): void {
    for (;;) {
      const lt = this.buf.indexOf("<");
      if (lt < 0) {
        if (this.buf.trim() !== "") throw new NmapXmlError("text outside any element in nmap XML output");
        this.buf = "";
        return;
      }
      if (this.buf.slice(0, lt).trim() !== "") throw new NmapXmlError("text outside any element in nmap XML output");
      if (lt > 0) this.buf = this.buf.slice(lt);
      const used = this.take();
      if (used === 0) {
        if (this.buf.length > this.limits.maxRecord) {
          throw new NmapXmlError(`an nmap XML record passed ${this.limits.maxRecord} characters; stopped reading`);
        }
        return;
      }
      this.buf = this.buf.slice(used);
    }
  }

  /** Consumes one construct at the start of the buffer; returns characters used, 0 when incomplete. */
  private take(): number {
    const b = this.buf;
    if (b.startsWith("<?")) return end(b, "?>");
    if (b.startsWith("<!--")) return end(b, "-->");
    if (b.startsWith("<!")) {
      if (b.length < 10) return 0;
      if (!b.startsWith("<!DOCTYPE")) throw new NmapXmlError("unexpected XML declaration in nmap output");
      const gt = b.indexOf(">");
      if (gt < 0) return 0;
      if (b.slice(0, gt).includes("[")) throw new NmapXmlError("nmap XML with an internal DTD subset (entity definitions) refused");
      return gt + 1;
    }
    if (b.startsWith("</")) {
      const gt = b.indexOf(">");
      if (gt < 0) return 0;
      if (b.slice(2, gt).trim() !== "nmaprun") throw new NmapXmlError(`unexpected closing tag ${b.slice(0, gt + 1).slice(0, 40)}`);
      this.closed = true;
      return gt + 1;
    }
    const m = NAME.exec(b);
    if (!m) {
      if (b.length < 2) return 0;
      throw new NmapXmlError("malformed tag in nmap XML output");
    }
    const name = m[1]!;
    const gt = tagEnd(b);
    if (gt < 0) return 0;
    const selfClosing = b[gt - 1] === "/";
    if (name === "nmaprun") {
      if (this.sawRoot) throw new NmapXmlError("second <nmaprun> in one stream");
      this.sawRoot = true;
      const open = b.slice(0, gt + 1);
      this.onEvent({ type: "nmaprun", attrs: parseRecord(selfClosing ? open : `${open.slice(0, -1)}/>`, name) });
      return gt + 1;
    }
    if (!this.sawRoot) throw new NmapXmlError("not nmap XML output (no <nmaprun> root)");
    let stop = gt + 1;
    if (!selfClosing) {
      const close = `</${name}>`;
      const at = b.indexOf(close, gt);
      if (at < 0) return 0;
      stop = at + close.length;
    }
    if (WANTED.has(name)) this.emit(name, b.slice(0, stop));
    return stop;
  }

  private emit(name: string, xml: string): void {
    const node = parseRecord(xml, name);
    if (name === "host") this.onEvent({ type: "host", node });
    else if (name === "runstats") this.onEvent({ type: "runstats", node });
    else if (name === "output") this.onEvent({ type: "output", text: textOf(node) });
    else if (name === "taskprogress") {
      this.onEvent({
        type: "progress",
        task: attr(node, "task") ?? "",
        percent: num(attr(node, "percent")),
        etc: num(attr(node, "etc")),
      });
    }
  }
}

function end(b: string, marker: string): number {
  const at = b.indexOf(marker);
  return at < 0 ? 0 : at + marker.length;
}

/** Index of the `>` closing the start tag at 0, skipping `>` inside quoted attribute values. */
function tagEnd(b: string): number {
  let quote = "";
  for (let i = 1; i < b.length; i++) {
    const c = b[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return i;
    else if (c === "<") throw new NmapXmlError("malformed tag in nmap XML output");
  }
  return -1;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  return typeof v === "string" ? v : undefined;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  return Array.isArray(v) ? v : [];
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

export function textOf(node: XmlNode | undefined): string {
  const t = node?.["#text"];
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.map((x) => (typeof x === "string" ? x : "")).join("");
  return "";
}

export function num(v: string | undefined): number | null {
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
