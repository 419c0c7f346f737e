import { readTextFile } from "../core/text-file.js";
import { dirname, isAbsolute, resolve } from "node:path";
import { isIP } from "node:net";
import type { ErrorObject } from "ajv";
import { UsageError, formatProblem, errorMessage, type RuleProblem } from "../core/errors.js";
import type { TargetSpec } from "../core/model.js";
import { MAX_NETWORK_ADDRESSES, parseNetworkTarget, parseTarget } from "../core/targets.js";
import { makeAjv } from "../engine/ajv.js";
import { parseYamlSource, type YamlSource } from "../engine/yaml-source.js";
import { expandCidr, parseCidr } from "../core/cidr.js";
import { InventorySchema, type HostObjectEntry, type HostSettings, type Inventory } from "./schema.js";
import type { TargetOptions } from "../core/target-options.js";

/** Inventories larger than this are refused before parsing. */
const MAX_INVENTORY_BYTES = 8 * 1024 * 1024;

type Path = (string | number)[];

let validator: ReturnType<ReturnType<typeof makeAjv>["compile"]> | undefined;

/** Keeps the error a user can act on when a value failed every branch of a union. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== "anyOf");
  const out = specific.filter((e) => {
    if (e.keyword !== "type") return true;
    // "must be string" from the string branch of a host entry is noise when the object branch said more.
    return !specific.some((o) => o !== e && o.keyword !== "type" && o.instancePath.startsWith(e.instancePath));
  });
  const chosen = out.length > 0 ? out : errors;
  const seen = new Set<string>();
  return chosen.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function pointer(p: string): Path {
  return p
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function schemaProblems(src: YamlSource, errors: ErrorObject[]): RuleProblem[] {
  return relevantErrors(errors).map((e) => {
    const path = pointer(e.instancePath);
    if (e.keyword === "additionalProperties") {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return src.problem([...path, key], `unknown key "${key}"`, { key: true });
    }
    const where = path.length > 0 ? path.join(".") : "inventory";
    return src.problem(path, `${where} ${e.message ?? "is invalid"}`);
  });
}

interface Level {
  settings: HostSettings;
  tags: Record<string, string | boolean>;
}

function merge(base: Level, s: HostSettings): Level {
  const { tags, ...rest } = s;
  return { settings: { ...base.settings, ...rest }, tags: { ...base.tags, ...(tags ?? {}) } };
}

function targetOptions(s: HostSettings, baseDir: string): TargetOptions {
  const o: TargetOptions = {};
  const abs = (p: string) => (p.startsWith("~") || isAbsolute(p) ? p : resolve(baseDir, p));
  if (s.identity !== undefined) o.identityFiles = (Array.isArray(s.identity) ? s.identity : [s.identity]).map(abs);
  if (s.knownHosts !== undefined) o.knownHostsFile = abs(s.knownHosts);
  if (s.acceptNewHostKeys !== undefined) o.acceptNewHostKeys = s.acceptNewHostKeys;
  if (s.jump !== undefined) o.jump = s.jump;
  if (s.sudo !== undefined) o.sudo = s.sudo;
  if (s.timeout !== undefined) o.timeoutMs = Math.round(s.timeout * 1000);
  if (s.port !== undefined) o.port = s.port;
  return o;
}

function sshUri(host: string, user: string | undefined, port: number | undefined): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return `ssh://${user ? `${encodeURIComponent(user)}@` : ""}${h}${port !== undefined && port !== 22 ? `:${port}` : ""}`;
}

/**
 * Loads an inventory file: YAML checked against {@link InventorySchema}, defaults → group → host
 * settings merged, tags merged, CIDRs expanded for SSH. Every problem (syntax, unknown key, bad
 * target, duplicate host, a range over a /16 without `allowLarge`) is reported as file:line:col in
 * one {@link UsageError}; nothing is scanned.
 */
export async function loadInventory(file: string, opts: { allowLarge: boolean }): Promise<TargetSpec[]> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_INVENTORY_BYTES);
  } catch (err) {
    throw new UsageError(`cannot read inventory ${file}: ${errorMessage(err)}`);
  }
  const fail = (problems: RuleProblem[]): never => {
    throw new UsageError(`inventory ${file} is invalid:\n${problems.map(formatProblem).join("\n")}`);
  };
  const parsed = parseYamlSource(file, text);
  if (!parsed.source) return fail(parsed.problems);
  const src = parsed.source;
  const data = src.data ?? {};
  validator ??= makeAjv().compile(InventorySchema);
  if (!validator(data)) return fail(schemaProblems(src, validator.errors ?? []));
  const inv = data as Inventory;
  const baseDir = dirname(resolve(file));

  const problems: RuleProblem[] = [];
  const out: TargetSpec[] = [];
  const seen = new Map<string, string>();
  const add = (spec: TargetSpec, path: Path) => {
    const key = spec.kind === "network" ? `net|${spec.id}` : `${spec.scheme}|${(spec.host ?? "").toLowerCase()}|${spec.port ?? ""}|${spec.baseDN ?? ""}`;
    const loc = src.locate(path);
    const first = seen.get(key);
    if (first) {
      problems.push({ file, ...loc, message: `duplicate target ${spec.host ?? spec.id}${spec.port ? `:${spec.port}` : ""} (first at ${first})` });
      return;
    }
    seen.set(key, `${file}:${loc.line}:${loc.col}`);
    out.push(spec);
  };

  const hostEntry = (entry: string | HostObjectEntry, level: Level, path: Path) => {
    const obj: HostObjectEntry = typeof entry === "string" ? (entry.includes("://") ? { target: entry } : entry.includes("/") ? { cidr: entry } : { host: entry }) : entry;
    const { target, host, cidr, ...own } = obj;
    const lv = merge(level, own);
    const s = lv.settings;
    const given = [target, host, cidr].filter((x) => x !== undefined).length;
    if (given !== 1) {
      problems.push(src.problem(path, "a host entry needs exactly one of target, host or cidr"));
      return;
    }
    const options = targetOptions(s, baseDir);
    try {
      if (target !== undefined) {
        const spec = parseTarget(target, lv.tags);
        if (spec.scheme === "ssh") {
          const explicitPort = /:\d+\/?$/.test(target.replace(/^[a-z]+:\/\/[^@/]*@/i, ""));
          if (!spec.user && s.user) spec.user = s.user;
          if (!explicitPort && s.port !== undefined) spec.port = s.port;
          else delete options.port;
        }
        if (Object.keys(options).length > 0) spec.options = options;
        add(spec, path);
      } else if (host !== undefined) {
        const spec = parseTarget(sshUri(host, s.user, s.port), lv.tags);
        if (Object.keys(options).length > 0) spec.options = options;
        add(spec, path);
      } else if (cidr !== undefined) {
        const info = parseCidr(cidr);
        if (info.count > BigInt(MAX_NETWORK_ADDRESSES) && !opts.allowLarge) {
          problems.push(src.problem(path, `${cidr} has ${info.count.toLocaleString("en-US")} addresses (more than a /16); pass --yes-large-network if you mean it`));
          return;
        }
        for (const addr of expandCidr(cidr)) {
          const spec = parseTarget(sshUri(addr, s.user, s.port), { ...lv.tags, cidr });
          if (Object.keys(options).length > 0) spec.options = { ...options };
          add(spec, path);
        }
      }
    } catch (err) {
      problems.push(src.problem(path, errorMessage(err)));
    }
  };

  const root = merge({ settings: {}, tags: {} }, inv.defaults ?? {});
  for (const [name, group] of Object.entries(inv.groups ?? {})) {
    const { hosts, ...gs } = group;
    const lv = merge(root, gs);
    lv.tags = { group: name, ...lv.tags };
    hosts.forEach((h, i) => hostEntry(h, lv, ["groups", name, "hosts", i]));
  }
  (inv.targets ?? []).forEach((h, i) => hostEntry(h, root, ["targets", i]));
  (inv.networks ?? []).forEach((n, i) => {
    const cidr = typeof n === "string" ? n : n.cidr;
    const tags = { ...root.tags, ...(typeof n === "string" ? {} : (n.tags ?? {})) };
    try {
      add(parseNetworkTarget(cidr, opts, tags), ["networks", i]);
    } catch (err) {
      problems.push(src.problem(["networks", i], errorMessage(err)));
    }
  });
  if (problems.length > 0) fail(problems);
  return out;
}
