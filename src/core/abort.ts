/**
 * Why a collector's signal fired: its target's deadline (`AbortSignal.timeout`), or the run being
 * stopped (Ctrl-C, or another target's fatal error). Reports say which, so an interrupted run
 * never reads as a slow network.
 */
export function abortCause(signal: AbortSignal): "deadline" | "interrupted" {
  const r = signal.reason as { name?: unknown } | undefined;
  return r?.name === "TimeoutError" ? "deadline" : "interrupted";
}

/** A phrase for messages: "stopped at the deadline" or "interrupted". */
export function abortPhrase(signal: AbortSignal): string {
  return abortCause(signal) === "deadline" ? "stopped at the deadline" : "interrupted";
}

/**
 * Settles with `work`, or rejects with `onAbort()`'s error as soon as `signal` fires, so a library
 * call that never ends (a TLS handshake to a server that stalls) cannot outlive the signal.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      work.catch(() => undefined);
      reject(onAbort());
    };
    signal.addEventListener("abort", stop, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", stop), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", stop), reject(e)),
    );
  });
}
