import { Type, type Static, type TOptional, type TProperties, type TSchema, type TUnion } from "@sinclair/typebox";
import { Known, type UnknownSchema } from "./unknown.js";
import { Os, NetworkInterface, linuxSections } from "./host-linux.js";
import { macosSections } from "./host-macos.js";
import { windowsSections } from "./host-windows.js";

/**
 * Host facts: `os` for every host, then the sections each platform's probe fills. A section that
 * could not be read at all is `unknown` with a reason; a section a platform does not have is absent.
 */
function optionalKnown<P extends TProperties>(sections: P) {
  const out: Record<string, TSchema> = {};
  for (const [name, schema] of Object.entries(sections)) out[name] = Type.Optional(Known(schema));
  return out as { [K in keyof P]: TOptional<TUnion<[P[K], typeof UnknownSchema]>> };
}

export const HostFactsSchema = Type.Object(
  {
    os: Known(Os),
    interfaces: Type.Optional(Known(Type.Array(NetworkInterface))),
    ...optionalKnown(linuxSections),
    ...optionalKnown(macosSections),
    ...optionalKnown(windowsSections),
  },
  { additionalProperties: false, title: "HostFacts" },
);
export type HostFacts = Static<typeof HostFactsSchema>;
