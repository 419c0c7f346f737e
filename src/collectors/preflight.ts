import type { TargetSpec } from "../core/model.js";
import { cleartextBindRefusal } from "../transports/ldap/cleartext.js";
import type { CollectOptions } from "./types.js";

/**
 * Problems with how a target would be collected that are known before any connection: the
 * pipeline refuses the whole run (exit 2, nothing scanned) when this returns any.
 */
export function preflightProblems(targets: TargetSpec[], options: CollectOptions): string[] {
  const problems: string[] = [];
  for (const t of targets) {
    if (t.kind === "directory" && (t.scheme === "ldap" || t.scheme === "ldaps")) {
      const refusal = cleartextBindRefusal({
        scheme: t.scheme,
        starttls: options.starttls,
        bindDN: options.bindDN ?? t.user,
        allowCleartextBind: options.allowCleartextBind === true,
        where: t.id,
      });
      if (refusal) problems.push(refusal);
    }
  }
  return problems;
}
