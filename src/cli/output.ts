import { UsageError, errorMessage } from "../core/errors.js";
import { writeFileAtomic, type Chunks } from "../core/atomic-file.js";
import { batches } from "../core/batches.js";

/**
 * Writes to a file (through {@link writeFileAtomic}: a random 0600 temporary file renamed into
 * place, devices such as /dev/null written in place) or to stdout when no file is given.
 */
export async function writeOutput(file: string | undefined, text: string | Chunks): Promise<void> {
  if (!file || file === "-") {
    for (const piece of typeof text === "string" ? [text] : batches(text.chunks, 1 << 20)) {
      await new Promise<void>((resolve, reject) => process.stdout.write(piece, (err) => (err ? reject(err) : resolve())));
    }
    return;
  }
  try {
    await writeFileAtomic(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${errorMessage(err)}`);
  }
}
