import { UsageError, errorMessage } from "../core/errors.js";
import { writeFileAtomic, type Chunks } from "../core/atomic-file.js";

/**
 * Writes to a file (through {@link writeFileAtomic}: a random 0600 temporary file renamed into
 * place, devices such as /dev/null written in place) or to stdout when no file is given.
 */
export async function writeOutput(file: string | undefined, text: string | Chunks): Promise<void> {
  if (!file || file === "-") {
    for (const piece of typeof text === "string" ? [text] : batches(text.chunks)) {
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

/** Chunks joined into pieces of about 1 MiB, for stdout. */
function* batches(chunks: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  let size = 0;
  for (const c of chunks) {
    batch.push(c);
    size += c.length;
    if (size >= 1 << 20) {
      yield batch.join("");
      batch = [];
      size = 0;
    }
  }
  if (size > 0) yield batch.join("");
}
