import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { KeyObject } from "node:crypto";
import { UsageError } from "../core/errors.js";
import type { FactsDocument, Report } from "../core/model.js";
import { loadPrivateKey } from "../history/chain.js";
import { acquireLock, checkLocation, historyLocation, isPostgres, openStore } from "../history/location.js";
import { scopeOf } from "../history/record.js";
import { recordRun, resolveBaseline } from "../history/session.js";
import type { HistoryStore } from "../history/types.js";
import type { Baseline } from "../history/drift.js";
import { historySiteFacts } from "../history/site-facts.js";
import { joinLoginSources, readLoginHistory } from "../history/login-sources.js";
import type { ActivityPoint } from "../report/activity.js";
import { readRiskHistory, type RiskHistory } from "../history/risk-history.js";
import type { TargetFacts } from "../core/model.js";
import { deliverEvents, parseSiemUrl, type SiemDestination } from "../siem/deliver.js";
import { buildEvents } from "../siem/events.js";
import type { CliOptions, HISTORY_OPTIONS } from "./options.js";

/**
 * The history, drift and SIEM flags of `scan` and `evaluate`, from the option table; `history` is false
 * with --no-history. `--pack`: the proposed-rule pack's interval checks read earlier runs from the history.
 */
export type HistoryCliOptions = Pick<CliOptions, (typeof HISTORY_OPTIONS)[number] | "caFile" | "pack">;

/**
 * One run's history session. `open` checks everything before the first connection (location, key,
 * SIEM URLs, token variable, baseline file); `finish` records the run, adds drift and delivers SIEM events.
 */
export class HistorySession {
  private store?: HistoryStore;
  private release?: () => void;
  private baseline?: Baseline;
  private loginSources: Map<string, Set<string>> | string = "no history (--no-history): login sources cannot be compared with earlier runs";
  /** Earlier runs' activity counts per host, for the Activity section's counts over time. */
  private activityHistory = new Map<string, ActivityPoint[]>();
  /** The site pseudo-target's facts from the history (none before the first recorded run). */
  siteFacts: TargetFacts[] = [];
  /** Earlier runs and the baseline's register for the risk analysis (src/history/risk-history.ts). */
  riskHistory: RiskHistory = {};
  private constructor(
    private opts: HistoryCliOptions,
    private location: string | undefined,
    private signer: KeyObject | undefined,
    private siem: SiemDestination[],
  ) {}

  static prepare(opts: HistoryCliOptions): HistorySession {
    const location = opts.history === false ? undefined : historyLocation(opts.history, process.env, homedir());
    if (location) checkLocation(location);
    let signer: KeyObject | undefined;
    if (opts.signKey) {
      try {
        signer = loadPrivateKey(readFileSync(opts.signKey, "utf8"));
      } catch (err) {
        throw new UsageError(`--sign-key ${opts.signKey}: ${(err as Error).message}`);
      }
      if (signer.asymmetricKeyType !== "ed25519") throw new UsageError(`--sign-key ${opts.signKey}: not an Ed25519 private key`);
    }
    let token: string | undefined;
    if (opts.siemTokenEnv) {
      token = process.env[opts.siemTokenEnv];
      if (!token) throw new UsageError(`--siem-token-env ${opts.siemTokenEnv}: that environment variable is not set`);
    }
    let ca: string | undefined;
    if (opts.caFile && (opts.siem ?? []).length > 0) {
      try {
        ca = readFileSync(opts.caFile, "utf8");
      } catch (err) {
        throw new UsageError(`--ca-file ${opts.caFile}: ${(err as Error).message}`);
      }
    }
    const siem = (opts.siem ?? []).map((u) => parseSiemUrl(u, { token, ca }));
    if (opts.failOnNew && !location && !opts.baseline) throw new UsageError("--fail-on-new needs a baseline: keep the history on or give --baseline REPORT.json");
    return new HistorySession(opts, location, signer, siem);
  }

  /** Opens the store, takes the scope's lock, reads the baseline. Before anything is scanned. */
  async open(targetIds: string[]): Promise<void> {
    const scope = scopeOf(targetIds);
    if (this.location) {
      const stateDir = isPostgres(this.location) ? dirname(historyLocation(undefined, { ...process.env, HIPAA_SCAN_HISTORY: undefined }, homedir())) : dirname(this.location);
      this.release = acquireLock(this.location, stateDir, scope);
      try {
        this.store = await openStore(this.location);
      } catch (err) {
        this.release();
        this.release = undefined;
        throw err;
      }
    }
    this.baseline = await resolveBaseline(this.store, this.opts.baseline ?? "last", scope);
    const site = this.store ? await historySiteFacts(this.store, new Date()) : undefined;
    this.siteFacts = site ? [site] : [];
    ({ sources: this.loginSources, counts: this.activityHistory } = await readLoginHistory(this.store, scope));
    this.riskHistory = await readRiskHistory(this.store, scope, this.baseline, { intervals: (this.opts.pack ?? []).includes("hipaa-nprm-2025"), now: new Date() });
    if (this.opts.baseline && this.opts.baseline !== "last" && !this.baseline) throw new UsageError(`--baseline ${this.opts.baseline}: not found`);
  }

  /** Marks each host login whose source earlier runs saw (unknown without history). Before the rules run, in scan and evaluate alike. */
  joinLoginHistory(targets: TargetFacts[]): void {
    joinLoginSources(targets, this.loginSources);
  }

  async finish(report: Report, facts: FactsDocument, command: "scan" | "evaluate"): Promise<Report> {
    const { report: recorded, record } = await recordRun(this.store, report, facts, { command, baseline: this.baseline, signer: this.signer, failOnNew: this.opts.failOnNew === true, activityHistory: this.activityHistory });
    if (this.siem.length === 0) return this.store && recorded.run ? { ...recorded, run: { ...recorded.run, siemPending: await this.store.pendingCount() } } : recorded;
    const events = buildEvents(recorded, record.id);
    const pending = await deliverEvents(this.store, this.siem, events);
    return recorded.run ? { ...recorded, run: { ...recorded.run, siemPending: pending } } : recorded;
  }

  async close(): Promise<void> {
    await this.store?.close().catch(() => {});
    this.release?.();
  }
}

export const defaultHistoryPath = () => historyLocation(undefined, process.env, homedir());
export const stateDirOf = (location: string) => (isPostgres(location) ? join(homedir(), ".local", "state", "hipaa-scan") : dirname(location));
