import { RemoteOutputError } from "../../core/errors.js";
import { randomUUID } from "node:crypto";
import { XMLParser } from "fast-xml-parser";

/**
 * WS-Management (DSP0226) and the Windows Remote Shell protocol (MS-WSMV) messages the client
 * sends, and a small reader for the replies. Everything here is pure: no I/O.
 */

export const NS = {
  s: "http://www.w3.org/2003/05/soap-envelope",
  a: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  w: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  p: "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
  rsp: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
} as const;

export const RESOURCE_CMD = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
export const Action = {
  create: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
  delete: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete",
  command: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command",
  send: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send",
  receive: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive",
  signal: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal",
} as const;
export const SIGNAL_TERMINATE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";
export const COMMAND_STATE_DONE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";
/** WS-Man fault code Windows returns when a Receive saw no output within OperationTimeout. */
export const FAULT_OPERATION_TIMEOUT = "2150858793";

/** Default MaxEnvelopeSize (Windows' default is 150 KiB = 153600 bytes). */
export const DEFAULT_MAX_ENVELOPE = 153600;

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export interface EnvelopeInput {
  to: string;
  action: string;
  messageId?: string;
  shellId?: string;
  maxEnvelopeSize: number;
  operationTimeoutSec: number;
  options?: Record<string, string>;
  body: string;
}

/** One SOAP envelope; returns it with the MessageID it carries (to match RelatesTo). */
export function envelope(e: EnvelopeInput): { xml: string; messageId: string } {
  const messageId = e.messageId ?? `uuid:${randomUUID().toUpperCase()}`;
  const selector = e.shellId
    ? `<w:SelectorSet><w:Selector Name="ShellId">${xmlEscape(e.shellId)}</w:Selector></w:SelectorSet>`
    : "";
  const options = e.options
    ? `<w:OptionSet>${Object.entries(e.options)
        .map(([k, v]) => `<w:Option Name="${xmlEscape(k)}">${xmlEscape(v)}</w:Option>`)
        .join("")}</w:OptionSet>`
    : "";
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<s:Envelope xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:w="${NS.w}" xmlns:p="${NS.p}" xmlns:rsp="${NS.rsp}">` +
    `<s:Header>` +
    `<a:To>${xmlEscape(e.to)}</a:To>` +
    `<a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${e.maxEnvelopeSize}</w:MaxEnvelopeSize>` +
    `<a:MessageID>${messageId}</a:MessageID>` +
    `<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<w:OperationTimeout>PT${e.operationTimeoutSec}S</w:OperationTimeout>` +
    `<w:ResourceURI s:mustUnderstand="true">${RESOURCE_CMD}</w:ResourceURI>` +
    `<a:Action s:mustUnderstand="true">${e.action}</a:Action>` +
    selector +
    options +
    `</s:Header><s:Body>${e.body}</s:Body></s:Envelope>`;
  return { xml, messageId };
}

export const bodies = {
  create: () =>
    `<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
  command: (command: string, args: string[]) =>
    `<rsp:CommandLine><rsp:Command>${xmlEscape(command)}</rsp:Command>${args
      .map((a) => `<rsp:Arguments>${xmlEscape(a)}</rsp:Arguments>`)
      .join("")}</rsp:CommandLine>`,
  send: (commandId: string, data: Buffer, end: boolean) =>
    `<rsp:Send><rsp:Stream Name="stdin" CommandId="${xmlEscape(commandId)}"${end ? ` End="true"` : ""}>${data.toString("base64")}</rsp:Stream></rsp:Send>`,
  receive: (commandId: string) =>
    `<rsp:Receive><rsp:DesiredStream CommandId="${xmlEscape(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`,
  signal: (commandId: string, code = SIGNAL_TERMINATE) =>
    `<rsp:Signal CommandId="${xmlEscape(commandId)}"><rsp:Code>${code}</rsp:Code></rsp:Signal>`,
};

/** A parsed XML element: attributes under `@_name`, text under `#text`, children by local name (always arrays). */
export type XNode = { [key: string]: XNode[] | string | undefined } | string;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

/** Parses a WS-Management reply; anything that is not XML is a {@link RemoteOutputError}. */
export function parseXml(xml: string): XNode {
  try {
    return parser.parse(xml) as XNode;
  } catch (err) {
    throw new RemoteOutputError(`WinRM reply is not XML: ${String((err as Error)?.message ?? err).split("\n")[0]!.slice(0, 200)}`);
  }
}

/** Every element named `name` (local name) below `node`, in document order. */
export function findAll(node: XNode, name: string, out: XNode[] = []): XNode[] {
  if (typeof node === "string") return out;
  for (const [key, value] of Object.entries(node)) {
    if (!Array.isArray(value)) continue;
    for (const child of value) {
      if (key === name) out.push(child);
      findAll(child, name, out);
    }
  }
  return out;
}

export function findFirst(node: XNode, name: string): XNode | undefined {
  return findAll(node, name)[0];
}

export function textOf(node: XNode | undefined): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node;
  const t = node["#text"];
  return typeof t === "string" ? t : "";
}

export function attrOf(node: XNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  const v = node[`@_${name}`];
  return typeof v === "string" ? v : undefined;
}

export interface WsmanFault {
  code: string;
  subcode: string;
  reason: string;
  /** WSManFault Code attribute, e.g. 2150858793. */
  wsmanCode: string | undefined;
  message: string;
}

/** Reads a SOAP fault from a reply body; undefined when the body holds none. */
export function readFault(doc: XNode): WsmanFault | undefined {
  const fault = findFirst(doc, "Fault");
  if (!fault) return undefined;
  const codeNode = findFirst(fault, "Code");
  const values = codeNode ? findAll(codeNode, "Value").map(textOf) : [];
  const wsman = findFirst(fault, "WSManFault");
  return {
    code: values[0] ?? "",
    subcode: values[1] ?? "",
    reason: textOf(findFirst(fault, "Text")).trim(),
    wsmanCode: attrOf(wsman, "Code"),
    message: wsman ? collectText(findFirst(wsman, "Message") ?? wsman).trim() : "",
  };
}

function collectText(node: XNode): string {
  if (typeof node === "string") return node;
  let out = textOf(node);
  for (const [k, v] of Object.entries(node)) if (Array.isArray(v) && !k.startsWith("@_")) for (const c of v) out += collectText(c);
  return out;
}

/** The RelatesTo of a reply (WS-Addressing), which must equal the request's MessageID. */
export function relatesTo(doc: XNode): string | undefined {
  const n = findFirst(doc, "RelatesTo");
  return n === undefined ? undefined : textOf(n).trim();
}
