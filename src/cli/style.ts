import type { TextStyle } from "../reporters/types.js";
import { plainStyle } from "../reporters/types.js";

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
export function useColor(opts: { color?: boolean }): boolean {
  return opts.color !== false && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "") && process.stdout.isTTY === true;
}

export async function makeStyle(color: boolean): Promise<TextStyle> {
  if (!color) return plainStyle;
  const { Chalk } = await import("chalk");
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan };
}
