import type { Entry } from "ldapts";
import type { TargetFacts, TargetSpec } from "../core/model.js";
import { targetFacts } from "./target-result.js";
import type { Collector, CollectContext } from "./types.js";
import type { DirectoryFacts } from "../facts/directory.js";
import { unknown, isUnknown } from "../facts/unknown.js";
import { errorMessage } from "../core/errors.js";
import { safeText } from "../core/untrusted-text.js";
import { LdapError, LdapSession, asStrings, probeCleartextBind } from "../transports/ldap/client.js";
import { CLEARTEXT_BIND_NOTE, cleartextBindRefusal } from "../transports/ldap/cleartext.js";
import { collectAd } from "../directory/ad.js";
import { collectOpenLdap } from "../directory/openldap.js";
import { loadRoster, rosterMatch, type Roster } from "../directory/roster.js";

/**
 * Directory collector for `ldap://` and `ldaps://` targets: binds, reads the rootDSE to tell
 * Active Directory from OpenLDAP, then gathers accounts, privileged groups, policies and
 * computers, and joins the --roster file. Never judges; sections it may not read are unknown.
 */

const AD_CAPABILITY = "1.2.840.113556.1.4.800";
/** Page size for paged searches: one page of raw entries in memory at a time. */
const PAGE_SIZE = 500;

export interface DirectoryCollectorOptions {
  pageSize?: number;
  /** Values per range-retrieval request (AD's MaxValRange is 1500). */
  rangeStep?: number;
}

export function createDirectoryCollector(config: DirectoryCollectorOptions = {}): Collector {
  return {
    name: "directory/ldap",
    collect: (target, ctx) => collectDirectory(target, ctx, config),
  };
}

export const directoryCollector: Collector = createDirectoryCollector();

async function collectDirectory(target: TargetSpec, ctx: CollectContext, config: DirectoryCollectorOptions): Promise<TargetFacts> {
  const opts = ctx.options;
  const scheme = target.scheme === "ldaps" ? "ldaps" : "ldap";
  const host = target.host ?? "";
  const port = target.port ?? (scheme === "ldaps" ? 636 : 389);
  const baseDN = target.baseDN ?? "";
  const bindDN = opts.bindDN ?? target.user;
  const notes: string[] = [];
  const sources: Record<string, string> = {};
  const step = (s: string) => ctx.progress({ type: "target-step", target: target.id, step: s });
  const result = (status: TargetFacts["status"], facts: DirectoryFacts, statusReason?: string): TargetFacts =>
    targetFacts(target, { collector: "directory/ldap", at: ctx.now(), status, statusReason, facts: facts as Record<string, unknown>, sources, notes });

  if (opts.insecureTls) {
    notes.push("--insecure-tls: the directory server's TLS certificate was NOT verified; the connection could have been intercepted.");
  }
  if (scheme === "ldap" && !opts.starttls) {
    notes.push("plain ldap:// without --starttls: the bind and every answer travelled unencrypted.");
  }

  // Roster first: a bad file is the user's error and should not cost a connection.
  let roster: Roster | undefined;
  if (opts.rosterFile) roster = await loadRoster(opts.rosterFile);

  const refusal = cleartextBindRefusal({ scheme, starttls: opts.starttls, bindDN, allowCleartextBind: opts.allowCleartextBind === true, where: target.id });
  if (refusal) {
    const reason = unknown(refusal);
    return result("error", { server: reason, connection: reason }, refusal);
  }
  if (scheme === "ldap" && !opts.starttls && bindDN) notes.push(CLEARTEXT_BIND_NOTE);

  step("connect");
  const password = bindDN ? await ctx.secrets.password(`LDAP bind password for ${bindDN} at ${host}`) : undefined;
  let session: LdapSession;
  try {
    session = await LdapSession.open(
      { host, port, scheme, starttls: opts.starttls, caFile: opts.caFile, insecureTls: opts.insecureTls, allowCleartextBind: opts.allowCleartextBind, timeoutMs: opts.timeoutMs, signal: ctx.signal },
      bindDN,
      password,
    );
  } catch (err) {
    const e = err instanceof LdapError ? err : new LdapError("other", "error", errorMessage(err));
    const reason = unknown(e.message);
    return result(e.status, { server: reason, connection: reason }, e.message);
  }

  // At the deadline or on Ctrl-C, drop the connection so a pending request ends at once.
  const onAbort = () => void session.close();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  try {
    // rootDSE: AD advertises LDAP_CAP_ACTIVE_DIRECTORY_OID; OpenLDAP names itself in structuralObjectClass.
    step("rootDSE");
    const root = (await session.readEntry("", ["*", "+", "supportedCapabilities", "vendorName", "domainFunctionality", "dnsHostName", "namingContexts", "structuralObjectClass", "objectClass"])) ?? ({ dn: "" } as Entry);
    const caps = asStrings(root.supportedCapabilities);
    const ocs = [...asStrings(root.objectClass), ...asStrings(root.structuralObjectClass)].map((s) => s.toLowerCase());
    const vendor = asStrings(root.vendorName)[0];
    const type = caps.includes(AD_CAPABILITY) ? "ad" : ocs.includes("openldaprootdse") || /openldap/i.test(vendor ?? "") ? "openldap" : "other";
    const facts: DirectoryFacts = {
      server: {
        type,
        vendor: vendor ? safeText(vendor, 256) : type === "openldap" ? "OpenLDAP" : null,
        domainFunctionality: Number.isFinite(Number(asStrings(root.domainFunctionality)[0])) && asStrings(root.domainFunctionality)[0] !== undefined ? Number(asStrings(root.domainFunctionality)[0]) : null,
        dnsHostName: asStrings(root.dnsHostName)[0] ? safeText(asStrings(root.dnsHostName)[0]!, 256) : null,
        namingContexts: asStrings(root.namingContexts).map((s) => safeText(s, 1024)),
        baseDN,
      },
      connection: unknown("not probed yet"),
    };
    sources.server = "rootDSE";

    // Does the server accept cleartext simple binds? Probed with a throw-away password only.
    step("cleartext bind probe");
    if (session.security === "none") {
      facts.connection = { security: "none", insecureTls: opts.insecureTls, cleartextBindAccepted: true, cleartextBindDetail: `the scan itself bound without TLS on port ${port}` };
    } else {
      const probePort = scheme === "ldap" ? port : 389;
      const probe = await probeCleartextBind(host, probePort, bindDN ?? "cn=hipaa-scan-probe", opts.timeoutMs, ctx.signal);
      facts.connection = {
        security: session.security,
        insecureTls: opts.insecureTls,
        cleartextBindAccepted:
          probe.result === "accepted" ? true : probe.result === "refused" || probe.result === "not_listening" ? false : unknown(probe.detail),
        cleartextBindDetail: safeText(probe.detail, 512),
      };
    }
    sources.connection = "simple bind with a throw-away password on port 389 (no TLS)";

    const problems: string[] = [];
    if (type === "ad") {
      const ad = await collectAd(session, {
        baseDN,
        pageSize: config.pageSize ?? PAGE_SIZE,
        rangeStep: config.rangeStep ?? 1500,
        bindIdentity: bindDN,
        signal: ctx.signal,
        step,
      });
      facts.accounts = ad.accounts;
      facts.privilegedGroups = ad.groups;
      facts.passwordPolicy = ad.policy;
      facts.fineGrainedPolicies = ad.fgpp;
      facts.computers = ad.computers;
      facts.krbtgt = isUnknown(ad.krbtgtPasswordLastSet) ? ad.krbtgtPasswordLastSet : { passwordLastSet: ad.krbtgtPasswordLastSet };
      problems.push(...ad.problems);
      sources.accounts = "(&(objectCategory=person)(objectClass=user)): lastLogonTimestamp lags real logons by 9-14 days";
      sources.privilegedGroups = "well-known SIDs; member read with range retrieval, nested groups followed";
      sources.passwordPolicy = `domain head ${baseDN}`;
      sources.fineGrainedPolicies = "CN=Password Settings Container,CN=System";
      sources.computers = "(objectCategory=computer), msFVE-RecoveryInformation";
      sources.krbtgt = "krbtgt pwdLastSet";
    } else {
      const ol = await collectOpenLdap(session, {
        baseDN,
        pageSize: config.pageSize ?? PAGE_SIZE,
        lastBindAvailable: false,
        signal: ctx.signal,
        step,
      });
      facts.accounts = ol.accounts;
      facts.privilegedGroups = ol.groups;
      facts.passwordPolicy = ol.policy;
      const na = unknown("Active Directory only");
      facts.fineGrainedPolicies = na;
      facts.computers = na;
      facts.krbtgt = na;
      problems.push(...ol.problems);
      sources.accounts = "(|(objectClass=posixAccount)(objectClass=inetOrgPerson)): ppolicy pwdLastSuccess or lastbind authTimestamp";
      sources.privilegedGroups = "groups named admin/administrators/wheel/sudo…, nested groupOfNames expanded";
      sources.passwordPolicy = "(objectClass=pwdPolicy)";
    }

    if (roster) {
      facts.roster = { file: safeText(roster.file, 512), entries: roster.entries, columns: roster.columns };
      for (const a of facts.accounts ?? []) {
        const m = rosterMatch(roster, a);
        a.onRoster = m !== null;
        a.rosterMatch = m;
      }
      sources.roster = roster.file;
    } else {
      facts.roster = null;
    }

    const status = problems.length > 0 ? "partial" : "ok";
    return result(status, facts, problems.length > 0 ? `not readable with this bind account: ${problems.join(", ")}` : undefined);
  } catch (err) {
    const e = err instanceof LdapError ? err : new LdapError("other", "error", errorMessage(err));
    const reason = unknown(e.message);
    return result(e.status === "auth_failed" ? "auth_failed" : e.status, { server: reason, connection: reason }, e.message);
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    await session.close();
  }
}
