import { RemoteOutputError } from "../../core/errors.js";

/** A `defaults read` (OpenStep plist) text that cannot be parsed. */
export class PlistError extends RemoteOutputError {}

/**
 * The old-style (OpenStep) property list text that `defaults read` prints:
 * `{ key = value; list = ( a, "b c" ); nested = { … }; }`. Values come back as strings, arrays and
 * objects; numbers and booleans stay text (defaults prints booleans as 1/0) — see {@link plistBool}.
 */
export type PlistValue = string | PlistValue[] | { [key: string]: PlistValue };

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  skip(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
      // defaults can print comments in some plists.
      if (this.s.startsWith("/*", this.i)) {
        const end = this.s.indexOf("*/", this.i + 2);
        this.i = end < 0 ? this.s.length : end + 2;
      } else if (this.s.startsWith("//", this.i)) {
        const end = this.s.indexOf("\n", this.i);
        this.i = end < 0 ? this.s.length : end + 1;
      } else return;
    }
  }
  peek(): string | undefined {
    this.skip();
    return this.s[this.i];
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new PlistError(`expected "${ch}" at offset ${this.i}`);
    this.i++;
  }
  value(depth: number): PlistValue {
    if (depth > 32) throw new PlistError("plist nested too deeply");
    const c = this.peek();
    if (c === "{") return this.dict(depth);
    if (c === "(") return this.array(depth);
    if (c === '"') return this.quoted();
    if (c === "<") {
      const end = this.s.indexOf(">", this.i);
      if (end < 0) throw new PlistError("unterminated data");
      const v = this.s.slice(this.i, end + 1);
      this.i = end + 1;
      return v;
    }
    const m = /^[^\s{}()=;,"<>]+/.exec(this.s.slice(this.i, this.i + 4096));
    if (!m) throw new PlistError(`unexpected character at offset ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }
  quoted(): string {
    this.i++; // opening quote
    let out = "";
    while (this.i < this.s.length) {
      const ch = this.s[this.i++]!;
      if (ch === '"') return out;
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = this.s[this.i++];
      if (e === "n") out += "\n";
      else if (e === "t") out += "\t";
      else if (e === "U" || e === "u") {
        out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else out += e ?? "";
    }
    throw new PlistError("unterminated string");
  }
  dict(depth: number): { [key: string]: PlistValue } {
    this.expect("{");
    const out: { [key: string]: PlistValue } = {};
    while (this.peek() !== "}") {
      if (this.peek() === undefined) throw new PlistError("unterminated dictionary");
      const k = this.value(depth + 1);
      if (typeof k !== "string") throw new PlistError("dictionary key is not a string");
      this.expect("=");
      out[k] = this.value(depth + 1);
      this.expect(";");
    }
    this.i++;
    return out;
  }
  array(depth: number): PlistValue[] {
    this.expect("(");
    const out: PlistValue[] = [];
    while (this.peek() !== ")") {
      if (this.peek() === undefined) throw new PlistError("unterminated array");
      out.push(this.value(depth + 1));
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    return out;
  }
}

/** Parses `defaults read` output; throws with a reason on text it does not understand. */
export function parseOpenStepPlist(text: string): PlistValue {
  const r = new Reader(text);
  const v = r.value(0);
  if (r.peek() !== undefined) throw new PlistError(`unexpected text after the value at offset ${r.i}`);
  return v;
}

/** 1/0, YES/NO, true/false as defaults prints them; null for anything else. */
export function plistBool(v: PlistValue | undefined): boolean | null {
  if (typeof v !== "string") return null;
  const t = v.toLowerCase();
  if (t === "1" || t === "yes" || t === "true") return true;
  if (t === "0" || t === "no" || t === "false") return false;
  return null;
}

/** An integer value, or null. */
export function plistInt(v: PlistValue | undefined): number | null {
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : null;
}

/** `2021-02-23 07:52:51 +0000` (the way defaults prints dates) as ISO 8601, or null. */
export function plistDate(v: PlistValue | undefined): string | null {
  if (typeof v !== "string") return null;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2})(\d{2})$/.exec(v.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2]}${m[3]}${m[4]}:${m[5]}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
