import { WINDOWS_PROBE_MARKER, WINDOWS_PROBE_VERSION } from "../../../src/probes/windows/script.js";
import { fixture, parseFormatList, parseTable } from "./fixtures.js";

/**
 * What the test server answers to the hipaa-scan Windows probe: the probe's JSON document, with
 * cmdlet sections taken from the captured outputs in fixtures/windows/ and registry values chosen
 * per profile. `gappy` is a clinic workstation with the usual gaps; `hardened` passes the pack.
 */
export type ProfileName = "gappy" | "hardened";

const ok = (data: unknown) => ({ ok: true, data });

function bitlockerFromTable() {
  // Get-BitLockerVolume Example 1: five volumes, the OS volume decrypted, D: encrypting.
  const rows = parseTable(fixture("get-bitlockervolume-table.txt"));
  return {
    source: "Get-BitLockerVolume",
    volumes: rows.map((r) => ({
      MountPoint: r["Mount Point"],
      VolumeType: r["VolumeType"],
      VolumeStatus: r["VolumeStatus"],
      ProtectionStatus: r["Protection Status"],
      EncryptionMethod: "",
    })),
    fixedDrives: ["C:", "D:", "E:"],
  };
}

function bitlockerFromFormatList() {
  const v = parseFormatList(fixture("get-bitlockervolume-c-format-list.txt"));
  return { source: "Get-BitLockerVolume", volumes: [v], fixedDrives: ["C:"] };
}

/** The activity section: fixtures/windows/activity-events.json placed before `now` (gappy), or a quiet log (hardened). */
function activityData(hardened: boolean, now: Date) {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  if (hardened) return { windowDays: 30, maxEvents: 2000, oldest: at(90 * 24 * 60), events: [] };
  const fx = JSON.parse(fixture("activity-events.json")) as { oldestDaysAgo: number; events: ({ ago: number } & Record<string, unknown>)[] };
  return { windowDays: 30, maxEvents: 2000, oldest: at(fx.oldestDaysAgo * 24 * 60), events: fx.events.map(({ ago, ...e }) => ({ ...e, time: at(ago) })) };
}

export function probeDocument(profile: ProfileName, now = new Date()): Record<string, unknown> {
  const hardened = profile === "hardened";
  const mp = parseFormatList(fixture("get-mpcomputerstatus.txt"));
  const smb = parseFormatList(fixture("get-smbserverconfiguration.txt"));
  const recentSig = new Date(now.getTime() - 86_400_000).toISOString();
  const defender = hardened ? { ...mp, AntivirusSignatureLastUpdated: recentSig } : mp;
  const smbServer = hardened
    ? { ...smb, EnableSMB1Protocol: "False", RequireSecuritySignature: "True" }
    : smb;
  const auditCsv = hardened
    ? [
        "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting",
        "",
        ...[
          ["Logon", "0CCE9215"],
          ["Logoff", "0CCE9216"],
          ["Account Lockout", "0CCE9217"],
          ["User Account Management", "0CCE9235"],
          ["Security Group Management", "0CCE9237"],
          ["Audit Policy Change", "0CCE922F"],
          ["Credential Validation", "0CCE923F"],
        ].map(([n, g]) => `WIN-HSW,System,${n},{${g}-69AE-11D9-BED3-505054503030},Success and Failure,`),
      ].join("\r\n")
    : fixture("auditpol-r-assembled.csv");
  const sections: Record<string, unknown> = {
    os: ok({
      caption: hardened ? "Microsoft Windows Server 2022 Standard" : "Microsoft Windows 10 Pro",
      version: hardened ? "10.0.20348" : "10.0.19045",
      build: hardened ? "20348" : "19045",
      ubr: 2461,
      displayVersion: hardened ? "21H2" : "22H2",
      editionId: hardened ? "ServerStandard" : "Professional",
      productType: hardened ? 3 : 1,
      arch: "64-bit",
      hostname: "WIN-HSW",
    }),
    bitlocker: ok(hardened ? bitlockerFromFormatList() : bitlockerFromTable()),
    sessionLock: ok(
      hardened
        ? { inactivityTimeoutSecs: 900, screenSaveActive: "1", screenSaveTimeOut: "900", screenSaverIsSecure: "1" }
        : { inactivityTimeoutSecs: null, screenSaveActive: null, screenSaveTimeOut: null, screenSaverIsSecure: null },
    ),
    rdp: ok(
      hardened
        ? { fDenyTSConnections: 0, userAuthentication: 1, securityLayer: 2, maxIdleTime: 0, policyDenyTSConnections: null, policyUserAuthentication: null, policySecurityLayer: null, policyMaxIdleTime: 900000 }
        : { fDenyTSConnections: 0, userAuthentication: 0, securityLayer: 1, maxIdleTime: 0, policyDenyTSConnections: null, policyUserAuthentication: null, policySecurityLayer: null, policyMaxIdleTime: null },
    ),
    localUsers: ok({
      source: "Get-LocalUser",
      users: hardened
        ? [
            { name: "wsadmin", enabled: false, sid: "S-1-5-21-1004336348-1177238915-682003330-500", description: "Built-in account for administering the computer/domain", lastLogon: null },
            { name: "Guest", enabled: false, sid: "S-1-5-21-1004336348-1177238915-682003330-501", description: "Built-in account for guest access to the computer/domain", lastLogon: null },
            { name: "jdoe", enabled: true, sid: "S-1-5-21-1004336348-1177238915-682003330-1001", description: "", lastLogon: recentSig },
          ]
        : [
            { name: "Administrator", enabled: true, sid: "S-1-5-21-1004336348-1177238915-682003330-500", description: "Built-in account for administering the computer/domain", lastLogon: recentSig },
            { name: "Guest", enabled: true, sid: "S-1-5-21-1004336348-1177238915-682003330-501", description: "Built-in account for guest access to the computer/domain", lastLogon: null },
            { name: "frontdesk", enabled: true, sid: "S-1-5-21-1004336348-1177238915-682003330-1001", description: "Shared reception login", lastLogon: recentSig },
          ],
    }),
    administrators: ok({ members: hardened ? ["WIN-HSW\\wsadmin"] : ["WIN-HSW\\Administrator", "WIN-HSW\\frontdesk"] }),
    auditPolicy: ok({ csv: auditCsv }),
    securityLog: ok({ maxSizeBytes: hardened ? 201326592 : 20971520, logMode: "Circular", enabled: true }),
    defender: ok(defender),
    firewall: ok({
      profiles: ["Domain", "Private", "Public"].map((name) => ({ name, enabled: hardened || name !== "Public" ? "True" : "False", defaultInboundAction: "NotConfigured" })),
    }),
    smb: ok({ server: smbServer, client: { RequireSecuritySignature: hardened ? "True" : "False" } }),
    schannel: ok({
      keys: hardened
        ? ["TLS 1.0", "TLS 1.1"].flatMap((protocol) => [{ protocol, side: "Server", enabled: 0, disabledByDefault: 1 }])
        : [],
    }),
    lsa: ok(hardened ? { noLmHash: 1, lmCompatibilityLevel: 5 } : { noLmHash: 1, lmCompatibilityLevel: null }),
    secureBoot: ok({ enabled: hardened }),
    hotfixes: ok({ items: [{ id: "KB5034441", installedOn: hardened ? recentSig : "2024-01-09T00:00:00.0000000Z" }] }),
    activity: ok(activityData(hardened, now)),
  };
  return { probe: WINDOWS_PROBE_MARKER, version: WINDOWS_PROBE_VERSION, sections };
}
