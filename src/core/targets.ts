import { isIP } from "node:net";
import { parseCidr } from "./cidr.js";
import { UsageError } from "./errors.js";
import type { Scheme, TargetSpec } from "./model.js";

/**
 * Target strings are validated here, once, before anything touches the network. A target never
 * reaches a shell and never becomes a command-line option of another program.
 */

const DEFAULT_PORTS: Partial<Record<Scheme, number>> = { ssh: 22, winrm: 5985, winrms: 5986, ldap: 389, ldaps: 636 };
const HOST_SCHEMES: Scheme[] = ["ssh", "winrm", "winrms"];
const DIRECTORY_SCHEMES: Scheme[] = ["ldap", "ldaps"];

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const USER = /^[A-Za-z0-9._\\@$-]{1,256}$/;

/**
 * A host name or IP address, safe to hand to a socket or as a separate argv element. A name must be
 * an RFC 1123 host name whose last label is not all digits and dashes (RFC 1123 2.1, RFC 3696 2), so
 * nothing that is not exactly an address can be read as one: not `10.1` (inet_aton's shorthand), not
 * nmap's octet ranges `0-255.0-255.0-255.0-255`; `*`, `,`, `[` and a leading `-` never pass.
 */
export function isValidHost(host: string): boolean {
  if (host.startsWith("-")) return false;
  if (isIP(host) !== 0) return true;
  if (!HOSTNAME.test(host)) return false;
  const last = host.replace(/\.$/, "").split(".").pop() ?? "";
  return !/^[0-9-]+$/.test(last);
}

function fail(input: string, why: string): never {
  throw new UsageError(`invalid target "${printable(input)}": ${why}`);
}

/** Target text is the user's, but may come from a file: keep control characters out of messages. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, 200);
}

/**
 * Parses `local`, `ssh://[user@]host[:port]`, `winrm://…`, `winrms://…`, `ldap://host[:port]/<baseDN>`
 * and `ldaps://…`. Network ranges come through {@link parseNetworkTarget}.
 */
export function parseTarget(input: string, tags: TargetSpec["tags"] = {}): TargetSpec {
  const raw = input.trim();
  if (raw === "" ) fail(input, "empty");
  if (raw === "local" || raw === "localhost-probe") return { kind: "host", scheme: "local", id: "local", tags };
  const m = /^([a-z]+):\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(raw);
  if (!m) fail(input, "expected local, ssh://[user@]host[:port], winrm(s)://[user@]host[:port] or ldap(s)://host[:port]/baseDN");
  const scheme = m[1]!.toLowerCase() as Scheme;
  if (!HOST_SCHEMES.includes(scheme) && !DIRECTORY_SCHEMES.includes(scheme)) {
    fail(input, `unknown scheme "${printable(m[1]!)}" (ssh, winrm, winrms, ldap, ldaps)`);
  }
  const authority = m[2]!;
  const at = authority.lastIndexOf("@");
  let user: string | undefined;
  let hostPort = authority;
  if (at >= 0) {
    user = safeDecode(input, authority.slice(0, at));
    hostPort = authority.slice(at + 1);
    if (!USER.test(user)) fail(input, "user name has characters that are not allowed");
  }
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
    if (isIP(host) !== 6) fail(input, "bad IPv6 address");
  } else {
    const parts = hostPort.split(":");
    if (parts.length > 2) fail(input, "IPv6 addresses go in brackets: ssh://[fe80::1]:22");
    host = parts[0]!;
    portText = parts[1];
  }
  if (!isValidHost(host)) fail(input, `"${printable(host)}" is not a host name or IP address`);
  let port = DEFAULT_PORTS[scheme]!;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) fail(input, "port must be 1–65535");
  }
  const path = m[3] ?? "";
  if (HOST_SCHEMES.includes(scheme)) {
    if (path !== "" && path !== "/") fail(input, "host targets take no path");
    return { kind: "host", scheme, id: raw, host, port, user, tags };
  }
  const baseDN = safeDecode(input, path.replace(/^\//, ""));
  if (baseDN === "") fail(input, "LDAP targets need a base DN: ldaps://dc1.example.org/DC=example,DC=org");
  if (!/^[A-Za-z][A-Za-z0-9-]*=/.test(baseDN)) fail(input, `"${printable(baseDN)}" is not a DN`);
  return { kind: "directory", scheme, id: raw, host, port, user, baseDN, tags };
}

function safeDecode(input: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    fail(input, "bad percent-encoding");
  }
}

/** Largest network accepted without `--yes-large-network`: a /16 (65,536 addresses). */
export const MAX_NETWORK_ADDRESSES = 65_536;

/**
 * Validates a `--network` value: an IPv4/IPv6 address, a CIDR, or a host name. Never starts with
 * `-`, never contains spaces, so it cannot become an nmap option.
 */
export function parseNetworkTarget(
  input: string,
  opts: { allowLarge?: boolean } = {},
  tags: TargetSpec["tags"] = {},
): TargetSpec {
  const raw = input.trim();
  if (raw.startsWith("-") || /\s/.test(raw) || raw === "") fail(input, "a network is an IP, CIDR or host name");
  const [addr, bits, extra] = raw.split("/");
  if (extra !== undefined) fail(input, "one prefix length only");
  const family = isIP(addr!);
  if (bits === undefined) {
    if (!isValidHost(addr!)) {
      fail(input, "not an IP address, CIDR or host name (nmap ranges and patterns such as 10.0-255.0.0, * or , are not accepted: give a CIDR)");
    }
    return { kind: "network", scheme: "network", id: raw, host: addr, tags };
  }
  if (family === 0) fail(input, "a CIDR needs an IP address before the /");
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) fail(input, `prefix length must be 0–${max}`);
  // What nmap scans: every address of the range, network and broadcast included.
  const addresses = parseCidr(raw).size;
  if (addresses > BigInt(MAX_NETWORK_ADDRESSES) && !opts.allowLarge) {
    throw new UsageError(
      `network ${printable(raw)} has ${addresses.toLocaleString("en-US")} addresses (more than a /16); ` +
        `pass --yes-large-network if you mean it`,
    );
  }
  return { kind: "network", scheme: "network", id: raw, host: addr, tags };
}
