import { Type } from "@sinclair/typebox";
import { Bool, isUnknown } from "../../facts/unknown.js";
import type { ProbeOutput } from "../posix/probe-output.js";
import { defineSection } from "../section.js";
import { fromText, parseFdesetup } from "./parsers.js";

export const FileVault = Type.Object({
  /** From `fdesetup status`: on, off, encrypting, decrypting, or other (text not recognised). */
  status: Type.Union(["on", "off", "encrypting", "decrypting", "other"].map((s) => Type.Literal(s))),
  /** The startup volume is fully protected by FileVault (status on). */
  enabled: Bool,
});

/** The `filevault` probe section (macOS): filevault.sh beside this module. */
export const filevaultSection = defineSection({
  key: "filevault",
  schema: FileVault,
  source: "fdesetup status",
  script: new URL("./filevault.sh", import.meta.url),
  parse: (probe: ProbeOutput) => {
    const fv = fromText(probe, "fdesetup", "fdesetup status", parseFdesetup);
    return isUnknown(fv) ? fv : { status: fv, enabled: fv === "on" };
  },
  doc: { heading: "`fdesetup status`", body: "`status` (`on`, `off`, `encrypting`, `decrypting`, `other`), `enabled` (status `on`)." },
});
