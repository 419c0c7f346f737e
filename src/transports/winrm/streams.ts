import { XMLParser } from "fast-xml-parser";

/**
 * Turning the bytes of a remote command's output streams into text: UTF-8 with a byte-order mark
 * dropped, and PowerShell's CLIXML error stream (`#< CLIXML` followed by serialised objects)
 * decoded to the error text a console would show.
 */

export function decodeUtf8(buf: Buffer): string {
  const text = buf.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const clixmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  trimValues: false,
  removeNSPrefix: true,
  isArray: (_n, _j, _l, isAttr) => !isAttr,
});

/** `_x000D__x000A_` style escapes of CLIXML strings. */
function unescapeClixml(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

type Node = Record<string, unknown>;

function collectErrorStrings(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectErrorStrings(n, out);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === "S" && Array.isArray(value)) {
      for (const s of value) {
        if (typeof s === "object" && s !== null && (s as Node)["@_S"] === "Error") {
          const t = (s as Node)["#text"];
          out.push(typeof t === "string" ? unescapeClixml(t) : "");
        }
      }
    } else if (!key.startsWith("@_") && key !== "#text") {
      collectErrorStrings(value, out);
    }
  }
}

/**
 * Decodes a stderr that PowerShell wrote as CLIXML; plain text comes back as it was. Only the
 * `Error` strings are kept (progress records are noise).
 */
export function decodeStderr(text: string): string {
  const marker = "#< CLIXML";
  const at = text.indexOf(marker);
  if (at < 0) return text;
  const before = text.slice(0, at);
  const xml = text.slice(at + marker.length);
  const out: string[] = [];
  // Each <Objs> document stands alone; PowerShell may write several in a row.
  for (const doc of xml.split(/(?=<Objs\b)/)) {
    if (!doc.trim().startsWith("<Objs")) continue;
    try {
      collectErrorStrings(clixmlParser.parse(doc), out);
    } catch {
      out.push(doc);
    }
  }
  return before + out.join("");
}
