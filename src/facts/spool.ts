import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync, constants } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FactsDocument, TargetFacts } from "../core/model.js";
import { canonicalJson, sha256 } from "../history/canonical.js";
import { rememberFactsDigest, rememberTargetsDigest } from "./digest.js";

/**
 * Where a scan's finished targets go so memory stays flat in the number of hosts (issue 14).
 *
 * Each target is written once, as it completes, to one spool file: its JSON and its canonical JSON
 * (for the history's facts hashes), one line each. What stays in memory is {@link FactsSpool.add}'s
 * compact projection: the target's status and notes, and of a host's facts only what the report,
 * asset inventory, activity review and history still read after the rules ran (`os`, `activity`,
 * the account names). Network and directory targets are kept whole (the network map and the
 * directory's asset row read all of them, and a run has few of them).
 *
 * The spool file is created 0600 in a fresh 0700 directory and unlinked at once (Linux keeps it
 * while the descriptor is open), so nothing is left on disk whatever ends the process, Ctrl-C or
 * SIGKILL included; where unlinking an open file fails, it is removed at `close()` and at exit.
 */
const FACTS_MARK = "\u0000spooled-facts\u0000";

export class FactsSpool {
  private readonly fd: number;
  private pos = 0;
  /** By target index: where its JSON and its canonical JSON are in the file. */
  private readonly at: { json: [number, number]; canonical: [number, number] }[] = [];
  private leftOnDisk: string | undefined;
  private closed = false;
  private readonly onExit = () => this.close();

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), "hipaa-scan-spool-"));
    const file = join(dir, "targets.jsonl");
    this.fd = openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      unlinkSync(file);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      this.leftOnDisk = dir;
      process.on("exit", this.onExit);
    }
  }

  /**
   * Writes one finished target. Returns it read back from its JSON (`full`, for the rules: the same
   * facts a facts file gives `evaluate`) and what to keep of it (`kept`). Reading it back matters:
   * a collector's facts are slices of the raw probe output (about 40 KB a host), and any one of them
   * kept would keep all of it; the read-back strings are fresh.
   */
  add(index: number, t: TargetFacts): { full: TargetFacts; kept: TargetFacts } {
    const text = JSON.stringify(t);
    const json = this.append(text);
    const full = JSON.parse(text) as TargetFacts;
    const factsCanonical = canonicalJson(full.facts);
    const canonical = this.append(canonicalJson({ ...full, facts: FACTS_MARK }).replace(JSON.stringify(FACTS_MARK), () => factsCanonical));
    this.at[index] = { json, canonical };
    const kept = compactTarget(full);
    rememberFactsDigest(kept.facts, sha256(factsCanonical));
    return { full, kept };
  }

  /** The full targets, in index order, read back one at a time. */
  *targets(): Generator<TargetFacts> {
    for (const a of this.at) yield JSON.parse(this.read(a.json)) as TargetFacts;
  }

  /** Ties the document's (compact) target list to the hash of the full one, computed when first asked. */
  rememberDigest(targets: readonly TargetFacts[]): void {
    rememberTargetsDigest(targets, () => {
      const hash = createHash("sha256").update("[");
      this.at.forEach((a, i) => hash.update(i === 0 ? this.read(a.canonical) : `,${this.read(a.canonical)}`, "utf8"));
      return hash.update("]").digest("hex");
    });
  }

  /**
   * The facts file of the document with its full targets, `JSON.stringify(doc, null, 2)` and a line
   * break (as `collect` and `--save-facts` write it), in chunks: the head, then one target at a time.
   */
  *factsFileChunks(doc: FactsDocument): Generator<string> {
    const MARK = "\u0000spooled-targets\u0000";
    const head = JSON.stringify({ ...doc, targets: MARK }, null, 2);
    const cut = head.indexOf(JSON.stringify(MARK));
    yield head.slice(0, cut);
    if (this.at.length === 0) yield "[]";
    else {
      yield "[\n";
      let i = 0;
      for (const t of this.targets()) yield `${i++ === 0 ? "" : ",\n"}    ${JSON.stringify(t, null, 2).replaceAll("\n", "\n    ")}`;
      yield "\n  ]";
    }
    yield `${head.slice(cut + JSON.stringify(MARK).length)}\n`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    if (this.leftOnDisk) rmSync(this.leftOnDisk, { recursive: true, force: true });
    process.off("exit", this.onExit);
  }

  private append(text: string): [number, number] {
    const buf = Buffer.from(`${text}\n`, "utf8");
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.pos + done);
    const where: [number, number] = [this.pos, buf.length - 1];
    this.pos += buf.length;
    return where;
  }

  private read([pos, len]: [number, number]): string {
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const n = readSync(this.fd, buf, done, len - done, pos + done);
      if (n === 0) throw new Error("facts spool ended early");
      done += n;
    }
    return buf.toString("utf8");
  }
}

/**
 * What a finished host target keeps in memory once its rules have run: everything but its facts
 * and sources, and of its facts the sections read after evaluation — `os` (asset inventory),
 * `activity` (the activity review), `scan` (provenance) and of `accounts` the user names and the privileged list (the
 * history's asset lists). Other kinds are kept whole.
 */
export function compactTarget(t: TargetFacts): TargetFacts {
  if (t.target.kind !== "host") return t;
  const f = t.facts;
  const facts: Record<string, unknown> = {};
  if ("os" in f) facts.os = f.os;
  if ("activity" in f) facts.activity = f.activity;
  if ("scan" in f) facts.scan = f.scan;
  if ("accounts" in f) {
    const acc = f.accounts as { users?: unknown; privileged?: unknown } | undefined;
    facts.accounts =
      acc && typeof acc === "object" && Array.isArray(acc.users)
        ? { users: (acc.users as { name?: unknown }[]).map((u) => ({ name: u?.name })), privileged: acc.privileged }
        : acc;
  }
  return { ...t, facts, sources: {} };
}
