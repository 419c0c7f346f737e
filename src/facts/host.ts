import { Type, type Static } from "@sinclair/typebox";
import { LINUX_SECTIONS } from "../probes/linux/sections.js";
import { MACOS_SECTIONS } from "../probes/macos/sections.js";
import { WINDOWS_SECTIONS } from "../probes/windows/sections.js";
import { sectionProperties } from "../probes/section.js";
import { Os } from "./host-common.js";
import { Known } from "./unknown.js";

/**
 * Host facts: `os` for every host, then the sections each platform's probe fills, straight from
 * the platforms' section lists (a key two platforms share has one schema; the lists check it). A
 * section that could not be read at all is `unknown` with a reason; a section a platform does not
 * have is absent.
 */
export const HostFactsSchema = Type.Object(
  {
    ...sectionProperties(LINUX_SECTIONS),
    ...sectionProperties(MACOS_SECTIONS),
    ...sectionProperties(WINDOWS_SECTIONS),
    // Listed first by every platform, so it stays the first property; required on every host.
    os: Known(Os),
  },
  { additionalProperties: false, title: "HostFacts" },
);
export type HostFacts = Static<typeof HostFactsSchema>;
