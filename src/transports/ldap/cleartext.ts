import { safeText } from "../../core/untrusted-text.js";

/**
 * A simple bind sends the password as it is. On `ldap://` without StartTLS that is the real password
 * in cleartext on the wire, so it is refused unless the user opted in with `--allow-cleartext-bind`.
 * Anonymous binds carry no password and are not affected.
 */
export interface CleartextBindInput {
  scheme: "ldap" | "ldaps";
  starttls: boolean;
  bindDN: string | undefined;
  allowCleartextBind: boolean;
  /** Where, for the message (the target id or host). */
  where: string;
}

/** The refusal message when this bind would send a password in cleartext; undefined when it is allowed. */
export function cleartextBindRefusal(i: CleartextBindInput): string | undefined {
  if (i.scheme !== "ldap" || i.starttls || i.allowCleartextBind) return undefined;
  if (i.bindDN === undefined || i.bindDN === "") return undefined;
  return (
    `${safeText(i.where, 256)}: refusing to send the bind password in cleartext (ldap:// without --starttls); ` +
    `use ldaps://host/… or add --starttls, or --allow-cleartext-bind to send it unencrypted anyway (the report will say so)`
  );
}

/** The note every report carries for a target whose password went out in cleartext. */
export const CLEARTEXT_BIND_NOTE =
  "--allow-cleartext-bind: the bind password was sent in cleartext (ldap:// without --starttls); anyone on the path could read it.";
