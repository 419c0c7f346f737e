import { constants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError, errorMessage } from "../core/errors.js";
import type { TargetSpec } from "../core/model.js";
import { expandPath, parseJump } from "../transports/ssh/config.js";

/**
 * Everything that can be checked before the first connection is checked here, so a run that
 * cannot succeed costs nothing: each problem is one line and exit 2, and no target is touched.
 * Regex params are checked where params are resolved (src/pipeline.ts).
 */

/** Largest --timeout: a day. setTimeout itself overflows past 2^31-1 ms (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 86_400;

export interface PreflightInput {
  passwordEnv?: string;
  timeout?: number;
  roster?: string;
  caFile?: string;
  identity?: string[];
  knownHosts?: string;
  jump?: string;
  /** Files the run will write (--output, --save-facts, collect -o); undefined or "-" is stdout. */
  outputs: (string | undefined)[];
  /** Files the run reads that no output may overwrite (the facts file of `evaluate`). */
  inputs?: string[];
  /** Targets, for per-host settings from an inventory (identity, known_hosts, jump). */
  targets?: TargetSpec[];
}

export async function preflight(p: PreflightInput): Promise<void> {
  if (p.passwordEnv !== undefined) {
    const v = process.env[p.passwordEnv];
    if (v === undefined || v === "") throw new UsageError(`--password-env ${p.passwordEnv}: that environment variable is not set (nothing was scanned)`);
  }
  if (p.timeout !== undefined && !(Number.isFinite(p.timeout) && p.timeout > 0 && p.timeout <= MAX_TIMEOUT_SECONDS)) {
    throw new UsageError(`--timeout ${p.timeout}: must be 1–${MAX_TIMEOUT_SECONDS} seconds`);
  }
  if (p.jump !== undefined) checkJump("--jump", p.jump);
  if (p.roster !== undefined) await readable("--roster", p.roster);
  if (p.caFile !== undefined) await readable("--ca-file", p.caFile);
  for (const f of p.identity ?? []) await readable("--identity", home(f));
  if (p.knownHosts !== undefined) await knownHostsUsable("--known-hosts", home(p.knownHosts));
  for (const t of p.targets ?? []) {
    const o = t.options ?? {};
    const where = `${t.id} (inventory)`;
    if (typeof o.jump === "string") checkJump(`${where} jump`, o.jump);
    for (const f of Array.isArray(o.identityFiles) ? o.identityFiles : []) if (typeof f === "string") await readable(`${where} identity`, home(f));
    if (typeof o.knownHostsFile === "string") await knownHostsUsable(`${where} knownHosts`, home(o.knownHostsFile));
  }
  await checkOutputs(p.outputs.filter((f): f is string => f !== undefined && f !== "-"), p.inputs ?? []);
}

/** `~` expanded; paths with ssh_config tokens (%h…) depend on the host and are left to the transport. */
function home(f: string): string {
  return f.includes("%") ? f : expandPath(f, { host: "" });
}

function checkJump(what: string, spec: string): void {
  try {
    parseJump(spec);
  } catch (err) {
    throw new UsageError(`${what}: ${errorMessage(err)}`);
  }
}

async function readable(what: string, file: string): Promise<void> {
  if (file.includes("%")) return;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw new Error("is a directory");
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    await fh.close();
  } catch (err) {
    throw new UsageError(`${what} ${file}: cannot read it (${errorMessage(err)})`);
  }
}

async function knownHostsUsable(what: string, file: string): Promise<void> {
  if (file.includes("%")) return;
  const st = await stat(file).catch(() => undefined);
  if (st) return readable(what, file);
  // accept-new may create it: its directory must be there.
  const dir = dirname(file);
  const ds = await stat(dir).catch((err: unknown) => {
    throw new UsageError(`${what} ${file}: its directory ${dir} is not usable (${errorMessage(err)})`);
  });
  if (!ds.isDirectory()) throw new UsageError(`${what} ${file}: ${dir} is not a directory`);
}

/** Identity of a path for "same file" checks: device and inode when it exists, else its absolute path. */
async function identity(file: string): Promise<string> {
  const st = await stat(file).catch(() => undefined);
  return st ? `${st.dev}:${st.ino}` : `path:${resolve(file)}`;
}

async function checkOutputs(outputs: string[], inputs: string[]): Promise<void> {
  const seen = new Map<string, string>();
  for (const f of inputs) seen.set(await identity(f), `the input ${f}`);
  for (const f of outputs) {
    const id = await identity(f);
    const clash = seen.get(id);
    if (clash) throw new UsageError(`output ${f} is the same file as ${clash}: choose another output file`);
    seen.set(id, `output ${f}`);
    await writable(f);
  }
}

async function writable(file: string): Promise<void> {
  const fail = (why: string): never => {
    throw new UsageError(`cannot write ${file}: ${why} (nothing was scanned)`);
  };
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) fail("it is a directory");
  if (st && !st.isFile()) {
    // A device or FIFO is written in place.
    await access(file, constants.W_OK).catch((err: unknown) => fail(errorMessage(err)));
    return;
  }
  // A regular file is replaced by a rename: its directory must exist and be writable.
  const dir = dirname(resolve(file));
  const ds = await stat(dir).catch(() => undefined);
  if (!ds) fail(`directory ${dir} does not exist`);
  if (!ds!.isDirectory()) fail(`${dir} is not a directory`);
  await access(dir, constants.W_OK | constants.X_OK).catch((err: unknown) => fail(`directory ${dir} is not writable (${errorMessage(err)})`));
}
