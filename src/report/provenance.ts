import { Type, type Static } from "@sinclair/typebox";
import type { FactsDocument } from "../core/model.js";
import { isKind } from "../core/target-facts.js";

/**
 * Who ran the scan and from where, for the auditor: scanner host name and addresses, OS user, the
 * command line with secrets redacted, Node and tool versions, and the `--from` vantage points. The
 * CLI reads the host, user and clock (src/cli/scanner-host.ts) and passes them in; this module is
 * pure, so the report pipeline stays testable. Rule pack hashes are already in `report.rulePacks`.
 */

export const ProvenanceSchema = Type.Object(
  {
    host: Type.Object({ name: Type.String(), addresses: Type.Array(Type.String()) }, { additionalProperties: false }),
    user: Type.String(),
    /** argv after the node binary, secrets replaced by `***`. */
    command: Type.Array(Type.String()),
    versions: Type.Record(Type.String(), Type.String()),
    /** `--from` vantage points of the network targets; empty for ordinary scans. */
    vantages: Type.Array(Type.String()),
  },
  { additionalProperties: false, title: "Provenance" },
);
export type Provenance = Static<typeof ProvenanceSchema>;

export interface ScannerHost {
  hostname: string;
  addresses: string[];
  user: string;
  argv: string[];
  nodeVersion: string;
}

/** Options whose value is a secret (never expected on a command line, but redacted if given). */
const SECRET_OPTION = /^--?(password|passwd|pass|secret|token|api-?key|community|bind-?password)$/i;
const SECRET_INLINE = /^(--?(?:password|passwd|pass|secret|token|api-?key|community|bind-?password))=.*/i;

/** Redacts option values that are secrets, `user:password@` in URLs and `NAME=secret` params that look like secrets. */
export function redactArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (SECRET_OPTION.test(a)) {
      out.push(a);
      if (i + 1 < argv.length) out.push("***");
      i++;
      continue;
    }
    const inline = SECRET_INLINE.exec(a);
    if (inline) {
      out.push(`${inline[1]}=***`);
      continue;
    }
    out.push(
      a
        .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+):[^@/\s]*@/i, "$1:***@")
        .replace(/^((?:[\w.-]*\.)?(?:password|secret|token|key|community)[\w.-]*)=.*$/i, "$1=***"),
    );
  }
  return out;
}

export function buildProvenance(host: ScannerHost, facts: FactsDocument): Provenance {
  const versions: Record<string, string> = { node: host.nodeVersion, [facts.tool.name]: facts.tool.version };
  const vantages = new Set<string>();
  for (const t of facts.targets) {
    const scan = isKind(t, "network") ? t.facts.scan : undefined;
    if (typeof scan?.nmapVersion === "string") versions["nmap"] = scan.nmapVersion;
    if (typeof scan?.vantage === "string") vantages.add(scan.vantage);
  }
  return {
    host: { name: host.hostname, addresses: [...host.addresses] },
    user: host.user,
    command: redactArgv(host.argv),
    versions,
    vantages: [...vantages].sort(),
  };
}

/** One line for the text, Markdown and HTML reports. */
export function provenanceLine(p: Provenance): string {
  const from = p.vantages.length > 0 ? ` from vantage ${p.vantages.join(", ")}` : "";
  const tools = Object.entries(p.versions).map(([k, v]) => `${k} ${v}`).join(", ");
  return `Run by ${p.user} on ${p.host.name} (${p.host.addresses.join(", ") || "no address"})${from}: ${p.command.join(" ")} — ${tools}`;
}
