import { RE2 } from "re2-wasm";

/**
 * Regular expressions that come from rule packs and `--param` values run on RE2 (re2-wasm), whose
 * matching time is linear in the input: a pattern such as `^(a+)+$` cannot hang the scan on a
 * name read from a remote directory. Our own code keeps JavaScript's RegExp.
 *
 * RE2 has no lookahead, lookbehind or backreferences; such patterns are refused with one line.
 * Matching is case-insensitive, as rule authors expect of `matches`.
 */
export interface Matcher {
  test(input: string): boolean;
}

/** Names the engine in messages, so authors know why `(?=…)` or `\1` is refused. */
const ENGINE_NOTE = "patterns run on RE2 (linear time), which has no lookahead, lookbehind or backreferences";

const MEMO_ENTRIES = 4096;
const MEMO_MAX_INPUT = 256;

/** Compiles `source`; throws an Error with a one-line message when RE2 cannot take it. */
export function compilePattern(source: string): Matcher {
  let re: RE2;
  try {
    re = new RE2(source, "iu");
  } catch (err) {
    throw new Error(patternMessage(source, err));
  }
  // Each RE2 call copies the input into WebAssembly memory; fact values repeat a lot across hosts
  // (user names, shells, paths), so short inputs' answers are remembered. Matching is pure.
  const memo = new Map<string, boolean>();
  return {
    test(input: string): boolean {
      if (input.length > MEMO_MAX_INPUT) return re.test(input);
      let hit = memo.get(input);
      if (hit === undefined) {
        hit = re.test(input);
        if (memo.size >= MEMO_ENTRIES) memo.clear();
        memo.set(input, hit);
      }
      return hit;
    },
  };
}

/** Why `source` is not a usable pattern, or undefined when it is. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function patternMessage(source: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  // re2-wasm says `Invalid regular expression: /SOURCE/u: reason`; keep the reason only.
  const reason = raw.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "").replace(/\s+/g, " ").slice(0, 200);
  const shown = JSON.stringify(source.length > 80 ? `${source.slice(0, 80)}…` : source);
  const unsupported = /\(\?<?[=!]|\\[1-9]|\\k</.test(source);
  return `bad regular expression ${shown}: ${reason}${unsupported ? ` (${ENGINE_NOTE})` : ""}`;
}

const cache = new Map<string, Matcher | Error>();

/** {@link compilePattern} with a cache, for patterns that arrive as param values at run time. */
export function cachedPattern(source: string): Matcher | Error {
  let m = cache.get(source);
  if (m === undefined) {
    try {
      m = compilePattern(source);
    } catch (err) {
      m = err as Error;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(source, m);
  }
  return m;
}
