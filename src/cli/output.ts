import { rename, stat, writeFile, unlink } from "node:fs/promises";
import { UsageError, errorMessage } from "../core/errors.js";

/**
 * Writes to a file (atomically: a temporary file renamed into place, so a failed run never leaves a
 * half-written report) or to stdout when no file is given.
 */
export async function writeOutput(file: string | undefined, text: string): Promise<void> {
  if (!file || file === "-") {
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return;
  }
  const existing = await stat(file).catch(() => undefined);
  if (existing && !existing.isFile()) {
    // A device, FIFO or socket (/dev/null, a pipe to a SIEM shipper): write to it, never replace it.
    await writeFile(file, text).catch((err: unknown) => {
      throw new UsageError(`cannot write ${file}: ${errorMessage(err)}`);
    });
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new UsageError(`cannot write ${file}: ${errorMessage(err)}`);
  }
}
