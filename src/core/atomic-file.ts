import { constants } from "node:fs";
import { open, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

/**
 * The one way hipaa-scan writes a file (reports, facts, anything else). A regular file is written
 * to a temporary file beside it — a random name, created with O_CREAT|O_EXCL|O_NOFOLLOW and mode
 * 0600, so a symlink or file planted at a guessable path is never followed or reused — then
 * renamed over the target, so a reader never sees half a report and the result is 0600 whatever
 * was there before (a symlink at the target is replaced, not written through). An existing device
 * or FIFO (/dev/null, a pipe to a log shipper) is written in place, never replaced.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Chunks): Promise<void> {
  if (await writeInPlaceIfSpecial(file, data)) return;
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(8).toString("hex")}.tmp`);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    await fh.chmod(0o600); // the umask may have taken bits away; never added any
    await writeData(fh, data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, file);
  } catch (err) {
    await fh?.close().catch(() => {});
    // Only ever our own file: O_EXCL guarantees nothing else was at this random name when we opened it.
    if (fh !== undefined || (err as NodeJS.ErrnoException).syscall !== "open") await unlink(tmp).catch(() => {});
    throw err;
  }
}

/** Writes to an existing device, FIFO or socket in place; false when `file` is not one. */
async function writeInPlaceIfSpecial(file: string, data: string | Uint8Array | Chunks): Promise<boolean> {
  const existing = await stat(file).catch(() => undefined);
  if (!existing || existing.isFile() || existing.isDirectory()) return false;
  // No O_CREAT: if the device went away, nothing is created in its place.
  const fh = await open(file, constants.O_WRONLY | constants.O_NOCTTY);
  try {
    if ((await fh.stat()).isFile()) return false; // replaced by a regular file since: go the atomic way
    await writeData(fh, data);
    return true;
  } finally {
    await fh.close();
  }
}

/** Text made a piece at a time (a report rendered as it is written, src/reporters/streaming.ts). */
export interface Chunks {
  chunks: Iterable<string>;
}

/** How much text is gathered before each write when the data comes in chunks. */
const WRITE_BATCH_CHARS = 1 << 20;

async function writeData(fh: FileHandle, data: string | Uint8Array | Chunks): Promise<void> {
  if (typeof data === "string" || data instanceof Uint8Array) return fh.writeFile(data);
  let batch: string[] = [];
  let size = 0;
  for (const chunk of data.chunks) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= WRITE_BATCH_CHARS) {
      await fh.write(batch.join(""));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) await fh.write(batch.join(""));
}
