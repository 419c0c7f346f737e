import { Type, type Static } from "@sinclair/typebox";
import { Bool, Known, Nullable, Num, StrList, unknown, type Unknown } from "../../facts/unknown.js";
import type { FileBlock } from "../sections.js";
import type { ProbeOutput } from "./probe-output.js";
import { defineSection } from "../section.js";

/**
 * GNOME screen lock from the system dconf databases (/etc/dconf/db/*.d keyfiles). null = not set
 * system-wide, so GNOME's default applies (idle-delay 300, lock-enabled true, lock-delay 0) and each
 * user may change it.
 */
export const Gnome = Type.Object({
  /** gnome-shell is present. */
  installed: Bool,
  /** org.gnome.desktop.session idle-delay in seconds (0 = never). */
  idleDelay: Known(Nullable(Num)),
  /** org.gnome.desktop.screensaver lock-enabled. */
  lockEnabled: Known(Nullable(Bool)),
  /** org.gnome.desktop.screensaver lock-delay in seconds. */
  lockDelay: Known(Nullable(Num)),
  /** Keys locked in /etc/dconf/db/*.d/locks so users cannot change them, e.g. `/org/gnome/desktop/session/idle-delay`. */
  lockedKeys: Known(StrList),
});

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

/** The `gnome` probe section: gnome.sh beside this module, parsed by parseGnome. */
export const gnomeSection = defineSection({
  key: "gnome",
  schema: Gnome,
  source: "/etc/dconf/db/*.d/* keyfiles and locks",
  script: new URL("./gnome.sh", import.meta.url),
  parse: (probe: ProbeOutput) => parseGnome(probe),
  doc: {
    heading: "`command -v gnome-shell`; keyfiles in `/etc/dconf/db/*.d/` and `*.d/locks/`",
    body: [
      "`installed`; `idleDelay` (org/gnome/desktop/session idle-delay, s), `lockEnabled`, `lockDelay`",
      "(org/gnome/desktop/screensaver) — `null` when not set system-wide (GNOME's defaults 300 s / true / 0",
      "then apply and users may change them); `lockedKeys[]` (e.g. `/org/gnome/desktop/session/idle-delay`).",
      "The login screen's `gdm.d` database is ignored. Keyfiles are read, not the compiled database, so",
      "`dconf update` not having been run is not seen.",
    ].join("\n"),
  },
});
