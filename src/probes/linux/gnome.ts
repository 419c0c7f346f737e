import type { Static } from "@sinclair/typebox";
import type { Gnome } from "../../facts/host-linux.js";
import { unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import type { ProbeOutput } from "./probe-output.js";

export type GnomeFacts = Static<typeof Gnome>;

/** dconf keyfiles: `[org/gnome/desktop/session]` then `idle-delay=uint32 300`. Key: `/org/…/idle-delay`. */
export function parseDconfKeyfiles(files: FileBlock[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    let group = "";
    for (const raw of f.content.split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const g = /^\[(.+)\]$/.exec(line);
      if (g?.[1]) {
        group = g[1].replace(/^\/+|\/+$/g, "");
        continue;
      }
      const eq = line.indexOf("=");
      if (eq <= 0 || !group) continue;
      const key = `/${group}/${line.slice(0, eq).trim()}`;
      if (!out.has(key)) out.set(key, line.slice(eq + 1).trim());
    }
  }
  return out;
}

/** A GVariant text number such as `uint32 300` or `300`. */
function gvNumber(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^(?:u?int(?:16|32|64)\s+|byte\s+)?(-?\d+)$/.exec(v.trim());
  return m ? Number(m[1]) : null;
}

function gvBool(v: string | undefined): boolean | null {
  if (v === undefined) return null;
  const t = v.trim().toLowerCase();
  return t === "true" ? true : t === "false" ? false : null;
}

/** The login screen's own database (gdm.d) does not govern users' sessions. */
const userDb = (f: FileBlock) => !f.path.startsWith("/etc/dconf/db/gdm.d/") && !f.denied;

export function parseGnome(probe: ProbeOutput): GnomeFacts {
  const installed = probe.has("gnome-shell") ?? false;
  const files = probe.files("dconf", "/etc/dconf/db/*.d");
  const locks = probe.files("dconf-locks", "/etc/dconf/db/*.d/locks");
  const lockedKeys: string[] | Unknown = Array.isArray(locks)
    ? locks
        .filter(userDb)
        .flatMap((f) => f.content.split("\n").map((l) => l.trim()))
        .filter((l) => l.startsWith("/"))
    : locks;
  if (!Array.isArray(files)) return { installed, idleDelay: files, lockEnabled: files, lockDelay: files, lockedKeys };
  const keyfiles = files.filter((f) => userDb(f) && !f.path.includes("/locks/"));
  const denied = files.filter((f) => f.denied);
  if (denied.length > 0) {
    const u = unknown(`cannot read ${denied.map((f) => f.path).join(", ")}`);
    return { installed, idleDelay: u, lockEnabled: u, lockDelay: u, lockedKeys };
  }
  const keys = parseDconfKeyfiles(keyfiles);
  return {
    installed,
    idleDelay: gvNumber(keys.get("/org/gnome/desktop/session/idle-delay")),
    lockEnabled: gvBool(keys.get("/org/gnome/desktop/screensaver/lock-enabled")),
    lockDelay: gvNumber(keys.get("/org/gnome/desktop/screensaver/lock-delay")),
    lockedKeys,
  };
}
