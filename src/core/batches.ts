/** Small pieces of text joined into pieces of about `size` characters (the last may be shorter; none is empty). */
export function* batches(chunks: Iterable<string>, size: number): Generator<string> {
  let batch: string[] = [];
  let length = 0;
  for (const c of chunks) {
    batch.push(c);
    length += c.length;
    if (length >= size) {
      yield batch.join("");
      batch = [];
      length = 0;
    }
  }
  if (length > 0) yield batch.join("");
}
