import { constants } from "node:fs";
import { open } from "node:fs/promises";

/**
 * Reads a file the user named (rule file, inventory, alternatives, facts, roster) as bounded UTF-8
 * text. Refuses what would hang or exhaust the scanner: anything that is not a regular file (a
 * FIFO named `x.yaml` would block a plain read forever), files over `maxBytes`, and bytes that are
 * not UTF-8. Throws {@link TextFileError} with a one-line reason; callers wrap it in their own
 * typed error with the file's name.
 */
export class TextFileError extends Error {}

export const MiB = 1024 * 1024;

export async function readTextFile(file: string, maxBytes: number): Promise<string> {
  let fh;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; fstat below refuses it.
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TextFileError(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "a directory" : String(code ?? err));
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new TextFileError(`not a regular file (${kindOf(st)})`);
    if (st.size > maxBytes) throw new TextFileError(`larger than the ${formatBytes(maxBytes)} limit (${formatBytes(st.size)})`);
    // Read at most one byte over the limit: the size can change between fstat and read.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > maxBytes) throw new TextFileError(`larger than the ${formatBytes(maxBytes)} limit`);
      if (got === buf.length) throw new TextFileError("it changed while being read");
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, got));
    } catch {
      throw new TextFileError("not UTF-8 text");
    }
  } finally {
    await fh.close();
  }
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a file";
}

function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB` : `${n} bytes`;
}
