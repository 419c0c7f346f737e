import type { Logger, ProgressEvent } from "../collectors/types.js";
import { stripControl } from "../core/untrusted-text.js";

/**
 * Progress for people and for logs. On a terminal: one ora spinner line with done/total, failures
 * and the hosts in flight. Without a terminal: one plain line per finished target on stderr.
 */
export interface Progress {
  event(e: ProgressEvent): void;
  log: Logger;
  note(message: string): void;
  stop(): void;
}

export function makeProgress(o: { total: number; quiet: boolean; verbose: boolean; color: boolean }): Progress {
  const active = new Map<string, string>();
  let done = 0;
  let failed = 0;
  // A pseudo-terminal can report 0 columns (script, some CI runners); ora cannot redraw there.
  const tty = process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0 && !o.quiet;
  let spinner: { text: string; stop(): void; clear(): void; render(): void } | undefined;
  let pending: string[] = [];
  let stopped = false;
  if (tty) {
    // ora is loaded only when a spinner will actually be shown.
    void import("ora").then(({ default: ora }) => {
      if (stopped) return;
      spinner = ora({ text: line(), stream: process.stderr, color: "cyan", isEnabled: true }).start();
      for (const p of pending) write(p);
      pending = [];
    });
  }
  function line(): string {
    const inFlight = [...active.entries()].slice(0, 3).map(([t, step]) => (step ? `${t} (${step})` : t));
    const more = active.size > 3 ? ` +${active.size - 3}` : "";
    return `Scanning ${done}/${o.total}${failed ? `, ${failed} not fully checked` : ""}${inFlight.length ? ` — ${inFlight.join(", ")}${more}` : ""}`;
  }
  function write(message: string) {
    if (o.quiet) return;
    if (tty && !spinner) {
      pending.push(message);
      return;
    }
    spinner?.clear();
    process.stderr.write(`${stripControl(message)}\n`);
    spinner?.render();
  }
  return {
    event(e) {
      if (e.type === "target-start") active.set(e.target, "");
      else if (e.type === "target-step") active.set(e.target, e.percent !== undefined ? `${e.step} ${Math.round(e.percent)}%` : e.step);
      else {
        active.delete(e.target);
        done++;
        if (e.status !== "ok") failed++;
        if (!tty || e.status !== "ok") write(`[${done}/${o.total}] ${e.target}: ${e.status}`);
      }
      if (spinner) spinner.text = stripControl(line());
    },
    log: {
      verbose: (m) => {
        if (o.verbose) write(`debug: ${m}`);
      },
      warn: (m) => write(`warning: ${m}`),
    },
    note: (m) => write(m),
    stop() {
      stopped = true;
      for (const p of pending) process.stderr.write(`${stripControl(p)}\n`);
      pending = [];
      spinner?.stop();
      spinner = undefined;
    },
  };
}
