import { Type, type Static } from "@sinclair/typebox";

/** Directory facts (Active Directory or OpenLDAP), filled by the LDAP collector. */
export const DirectoryFactsSchema = Type.Object({}, { additionalProperties: false, title: "DirectoryFacts" });
export type DirectoryFacts = Static<typeof DirectoryFactsSchema>;
