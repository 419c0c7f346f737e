/**
 * Splits the probe's output into sections. Only marker lines carrying this run's nonce count, so
 * text read from the target (a file holding "@@hs:… begin shadow") cannot forge a boundary.
 * See src/probes/posix/common.sh for the grammar.
 */

/** One file printed inside a files section. */
export interface FileBlock {
  path: string;
  /** The file exists but the probe's user could not read it. */
  denied: boolean;
  content: string;
}

export interface Section {
  name: string;
  /** Raw stdout of the section's command (or the text before the first file block). */
  stdout: string;
  /** The first 2000 bytes of stderr, or "". */
  stderr: string;
  /** Exit code; null when the end marker never came (output cut off). */
  rc: number | null;
  /** The program the section needs is not installed. */
  missing?: string;
  /** The probe chose not to run the section (e.g. `needs-root`). */
  skipped?: string;
  /** The end marker was seen. */
  complete: boolean;
  files: FileBlock[];
}

export interface SplitOutput {
  sections: Map<string, Section>;
  /** The probe reached its final `done` marker. */
  done: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function parseAttrs(words: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq > 0) out[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return out;
}

/** Splits `output` on marker lines that start with `mark` (e.g. `@@hs:<nonce>`). */
export function splitSections(output: string, mark: string): SplitOutput {
  const sections = new Map<string, Section>();
  const re = new RegExp(`\\n${escapeRegExp(mark)} ([^\\n]*)(?:\\n|$)`, "g");
  // Every marker is printed with a newline before it; the first one may start the output.
  const text = output.startsWith(mark) ? `\n${output}` : output;
  let current: Section | undefined;
  let target: "stdout" | "stderr" | FileBlock | undefined;
  let last = 0;
  let done = false;

  const flush = (end: number) => {
    if (!current || target === undefined) return;
    const chunk = text.slice(last, end);
    if (target === "stdout") current.stdout += chunk;
    else if (target === "stderr") current.stderr += chunk;
    else target.content += chunk;
  };

  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    flush(m.index);
    last = m.index + m[0].length;
    const words = (m[1] ?? "").split(" ");
    const kind = words[0];
    if (kind === "begin" && words[1]) {
      current = { name: words[1], stdout: "", stderr: "", rc: null, complete: false, files: [] };
      sections.set(current.name, current);
      target = "stdout";
    } else if (kind === "file" && current) {
      const denied = words[words.length - 1] === "denied" && words.length > 2;
      const path = words.slice(1, denied ? -1 : undefined).join(" ");
      const block: FileBlock = { path, denied, content: "" };
      current.files.push(block);
      target = block;
    } else if (kind === "stderr" && current) {
      target = "stderr";
    } else if (kind === "end" && current && words[1] === current.name) {
      const attrs = parseAttrs(words.slice(2));
      const rc = Number(attrs.rc);
      current.rc = Number.isInteger(rc) ? rc : null;
      if (attrs.missing) current.missing = attrs.missing;
      if (attrs.skipped) current.skipped = attrs.skipped;
      current.complete = true;
      current = undefined;
      target = undefined;
    } else if (kind === "done") {
      done = true;
      current = undefined;
      target = undefined;
    }
  }
  flush(text.length);
  return { sections, done };
}
