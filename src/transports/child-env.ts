/**
 * The environment a child process (the local probe, nmap) starts with: only what programs need to
 * find their tools and speak the right language — PATH, HOME, TMPDIR, TZ, LANG and LC_*. Everything
 * else stays behind: the variable named by --password-env, tokens, proxy credentials, TERM (the
 * probe is not on a terminal). A child that needs more gets it passed explicitly.
 */
const KEEP = /^(?:PATH|HOME|TMPDIR|TZ|LANG|LC_[A-Z]+)$/;

/** Used when the parent has no PATH at all. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function childEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && KEEP.test(k)) out[k] = v;
  out.PATH ??= DEFAULT_PATH;
  return out;
}
