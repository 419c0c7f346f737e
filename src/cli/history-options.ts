import type { Command } from "commander";
import { cliOption } from "./options.js";

// The history flags of scan and evaluate (--history/--no-history, --baseline, --siem…) are in the
// option table, src/cli/options.ts (HISTORY_OPTIONS); here are the `history` subcommands.

type Run = (fn: () => Promise<number>) => () => Promise<void>;

/** `hipaa-scan history list | show | diff | verify | review | prune`. */
export function addHistoryCommands(program: Command, run: Run): void {
  const h = program.command("history").description("the recorded runs: list, show, diff, verify, review, prune");
  const store = (c: Command) => c.addOption(cliOption("history", "history store (default $XDG_STATE_HOME/hipaa-scan/history.db, or HIPAA_SCAN_HISTORY)"));
  const act = (name: string, ...args: unknown[]) => async function (this: Command) {
    const mod = await import("./history-command.js");
    const fn = (mod as unknown as Record<string, (...a: unknown[]) => Promise<number>>)[name]!;
    return run(() => fn(...args, this.opts()))();
  };
  store(h.command("list").description("every run, newest last; marks runs nobody reviewed").option("--unreviewed", "only runs nobody reviewed").option("--format <name>", "text or json", "text")).action(function (this: Command) {
    return act("historyList").call(this);
  });
  store(h.command("show").description("one run's record").argument("<run-id>")).action(function (this: Command, id: string) {
    return act("historyShow", id).call(this);
  });
  store(
    h
      .command("diff")
      .description("drift between two runs (default: the last two runs of the same targets)")
      .argument("[a]", "older run id")
      .argument("[b]", "newer run id")
      .option("--format <name>", "text or json", "text")
      .option("--fail-on-new", "exit 1 when B has a failing finding A did not"),
  ).action(function (this: Command, a?: string, b?: string) {
    return act("historyDiff", a, b).call(this);
  });
  store(h.command("verify").description("walk the hash chain; exit 1 naming the first edited, removed or reordered entry").option("--public-key <file>", "Ed25519 public key (PEM): every entry must be signed by it")).action(function (this: Command) {
    return act("historyVerify").call(this);
  });
  store(
    h
      .command("review")
      .description("record, in the chain, that a person reviewed a run")
      .argument("<run-id>")
      .requiredOption("--by <name>", "who reviewed it")
      .option("--note <text>", "what was found or decided")
      .option("--sign-key <file>", "Ed25519 private key (PEM) to sign the review"),
  ).action(function (this: Command, id: string) {
    return act("historyReview", id).call(this);
  });
  store(
    h
      .command("prune")
      .description("drop the records of old runs; their hashes stay, so the chain still verifies")
      .option("--keep <age>", "keep runs younger than this: 6y, 18m, 90d (default 6y, 45 CFR 164.316(b)(2)(i))", "6y"),
  ).action(function (this: Command) {
    return act("historyPrune").call(this);
  });
}
