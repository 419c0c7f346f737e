import { Type, type Static } from "@sinclair/typebox";

/** Network facts (hosts, ports, services, classes, segments), filled by the nmap collector. */
export const NetworkFactsSchema = Type.Object({}, { additionalProperties: false, title: "NetworkFacts" });
export type NetworkFacts = Static<typeof NetworkFactsSchema>;
