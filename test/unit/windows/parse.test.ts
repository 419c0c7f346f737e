import { describe, expect, it } from "vitest";
import {
  isoDate,
  normaliseBitLocker,
  normaliseDefender,
  normaliseRdp,
  normaliseSchannel,
  normaliseSmb,
  parseAuditpolCsv,
  parseNetUser,
  parseWindowsProbe,
} from "../../../src/probes/windows/parse.js";
import { windowsEndOfLife } from "../../../src/probes/windows/eol.js";
import { decodeStderr, decodeUtf8 } from "../../../src/transports/winrm/streams.js";
import { fixture, parseFormatList, parseTable } from "../../support/winrm-server/fixtures.js";
import { probeDocument } from "../../support/winrm-server/profiles.js";

const NOW = new Date("2026-11-22T12:00:00Z");

describe("Get-MpComputerStatus (Microsoft Learn example output)", () => {
  const d = normaliseDefender(parseFormatList(fixture("get-mpcomputerstatus.txt")), NOW);
  it("reads protection switches", () => {
    expect(d.realTimeProtection).toBe(true);
    expect(d.antivirusEnabled).toBe(true);
    expect(d.serviceEnabled).toBe(true);
  });
  it("reads the signature date and ages it against the collection time", () => {
    expect(d.signatureLastUpdated).toBe("2013-07-30T03:01:45.000Z");
    expect(d.signatureAgeDays).toBe(Math.floor((NOW.getTime() - Date.parse("2013-07-30T03:01:45Z")) / 86_400_000));
  });
  it("has no tamper protection field in this older output", () => {
    expect(d.tamperProtected).toBeNull();
  });
});

describe("Get-BitLockerVolume (Microsoft Learn example output)", () => {
  it("Format-List of an encrypted OS volume", () => {
    const v = parseFormatList(fixture("get-bitlockervolume-c-format-list.txt"));
    const b = normaliseBitLocker({ source: "Get-BitLockerVolume", volumes: [v], fixedDrives: ["C:"] });
    expect(b.volumes).toEqual([
      { mountPoint: "C:", volumeType: "OperatingSystem", fixed: true, conversionStatus: "FullyEncrypted", protectionStatus: "On", encryptionMethod: "XtsAes128" },
    ]);
  });
  it("the table of five volumes: conversion status per volume, fixed from the logical disk list", () => {
    const rows = parseTable(fixture("get-bitlockervolume-table.txt"));
    const b = normaliseBitLocker({
      volumes: rows.map((r) => ({ MountPoint: r["Mount Point"], VolumeType: r.VolumeType, VolumeStatus: r.VolumeStatus, ProtectionStatus: r["Protection Status"] })),
      fixedDrives: ["C:", "D:"],
    });
    expect(b.volumes.map((v) => [v.mountPoint, v.conversionStatus, v.protectionStatus, v.fixed])).toEqual([
      ["D:", "EncryptionInProgress", "Off", true],
      ["E:", "FullyDecrypted", "Off", false],
      ["C:", "FullyDecrypted", "Off", true],
      ["F:", "FullyDecrypted", "Off", false],
      ["G:", "FullyDecrypted", "Off", false],
    ]);
  });
  it("Win32_EncryptableVolume numbers map to the same names (documented enumerations)", () => {
    const b = normaliseBitLocker({
      source: "Win32_EncryptableVolume",
      volumes: [{ DriveLetter: "C:", VolumeType: 0, ConversionStatus: 1, ProtectionStatus: 1, EncryptionMethod: 6 }, { DriveLetter: "E:", VolumeType: 2, ConversionStatus: 0, ProtectionStatus: 0, EncryptionMethod: 0 }],
      fixedDrives: ["C:"],
    });
    expect(b.volumes[0]).toMatchObject({ volumeType: "OperatingSystem", conversionStatus: "FullyEncrypted", protectionStatus: "On", encryptionMethod: "XTS_AES_128", fixed: true });
    expect(b.volumes[1]).toMatchObject({ volumeType: "Removable", conversionStatus: "FullyDecrypted", fixed: false });
  });
});

describe("Get-SmbServerConfiguration (Microsoft Learn example output)", () => {
  it("SMB1 on, signing not required", () => {
    const s = normaliseSmb({ server: parseFormatList(fixture("get-smbserverconfiguration.txt")), client: null });
    expect(s).toEqual({ smb1Enabled: true, serverSigningRequired: false, clientSigningRequired: null, encryptData: false });
  });
});

describe("auditpol CSV", () => {
  it("keys /r rows on the subcategory GUID with success/failure from the setting", () => {
    const a = parseAuditpolCsv(fixture("auditpol-r-assembled.csv"));
    expect(a.subcategories).toHaveLength(7);
    expect(a.subcategories[0]).toEqual({ guid: "0CCE9216-69AE-11D9-BED3-505054503030", name: "Logoff", success: false, failure: true, setting: "Failure" });
    const cam = a.subcategories.find((s) => s.guid === "0CCE9236-69AE-11D9-BED3-505054503030");
    expect(cam).toMatchObject({ success: true, failure: true });
    expect(a.subcategories.find((s) => s.guid === "0CCE9246-69AE-11D9-BED3-505054503030")).toMatchObject({ success: false, failure: false, setting: "No Auditing" });
  });
  it("reads an audit.csv backup by its Setting Value bits (language-neutral), lower-case GUIDs upper-cased", () => {
    const a = parseAuditpolCsv(fixture("audit-csv-backup-assembled.csv"));
    expect(a.subcategories.map((s) => [s.guid.slice(0, 8), s.success, s.failure])).toEqual([
      ["0CCE923F", false, true],
      ["0CCE9239", true, false],
      ["0CCE9236", true, true],
      ["0CCE923A", true, true],
      ["0CCE9237", true, true],
      ["0CCE9246", false, false],
    ]);
  });
  it("refuses text that is not auditpol CSV", () => {
    expect(() => parseAuditpolCsv("Error 0x00000522 occurred:\r\nA required privilege is not held by the client.\r\n")).toThrow(/header/);
  });
});

describe("net user (fallback account list)", () => {
  it("reads names from the fixed-width columns", () => {
    expect(parseNetUser(fixture("net-user.txt"))).toEqual(["admin", "Administrator", "CyberLens", "DefaultAccount", "Guest", "WDAGUtilityAccount"]);
  });
});

describe("PowerShell stderr", () => {
  it("CLIXML error records become the console text (ManageIQ capture)", () => {
    const t = decodeStderr(fixture("clixml-error-command-not-found.txt"));
    expect(t.startsWith("Bogus : The term 'Bogus' is not recognized as the name of a cmdlet, function, \r\nscript file")).toBe(true);
    expect(t).toContain("+ FullyQualifiedErrorId : CommandNotFoundException\r\n");
    expect(t).not.toMatch(/<S |_x000D_/);
  });
  it("progress-only CLIXML (pywinrm issue capture) is no error text at all", () => {
    expect(decodeStderr(fixture("clixml-progress-only.txt"))).toBe("");
  });
  it("plain stderr is left alone and a UTF-8 BOM is stripped from output", () => {
    expect(decodeStderr("'x' is not recognized\r\n")).toBe("'x' is not recognized\r\n");
    expect(decodeUtf8(Buffer.from("\uFEFF{}", "utf8"))).toBe("{}");
  });
});

describe("value helpers and tables", () => {
  it("dates: ISO, en-US Format-List, /Date()/ and the 1601 'never'", () => {
    expect(isoDate("6/4/2024 8:06:27 PM")).toBe("2024-06-04T20:06:27.000Z");
    expect(isoDate("12/31/1600 4:00:00 PM")).toBeNull();
    expect(isoDate("/Date(1717488387000)/")).toBe("2024-06-04T08:06:27.000Z");
    expect(isoDate("")).toBeNull();
  });
  it("RDP: policy values win over the listener's; missing fDenyTSConnections means RDP is off", () => {
    expect(normaliseRdp({ fDenyTSConnections: 0, userAuthentication: 0, policyUserAuthentication: 1, maxIdleTime: 0, policyMaxIdleTime: 900000 })).toEqual({ enabled: true, nla: true, securityLayer: null, maxIdleTimeSecs: 900 });
    expect(normaliseRdp({})).toMatchObject({ enabled: false, nla: null });
  });
  it("SCHANNEL: TLS 1.0/1.1 count as on unless disabled; SSL only when explicitly enabled", () => {
    expect(normaliseSchannel({ keys: [] }).legacyServerProtocols).toEqual(["TLS 1.0", "TLS 1.1"]);
    const k = normaliseSchannel({
      keys: [
        { protocol: "SSL 3.0", side: "Server", enabled: -1, disabledByDefault: null },
        { protocol: "TLS 1.0", side: "Server", enabled: 0, disabledByDefault: 1 },
        { protocol: "TLS 1.1", side: "Server", enabled: null, disabledByDefault: 1 },
      ],
    });
    expect(k.legacyServerProtocols).toEqual(["SSL 3.0"]);
  });
  it("end of life by build and edition", () => {
    expect(windowsEndOfLife(19045, 1, "Microsoft Windows 10 Pro", NOW)).toEqual({ eol: true, date: "2025-10-14" });
    expect(windowsEndOfLife(20348, 3, "Microsoft Windows Server 2022 Standard", NOW)).toEqual({ eol: false, date: "2031-10-14" });
    expect(windowsEndOfLife(19045, 1, "Microsoft Windows 10 Enterprise LTSC 2021", NOW).eol).toBeNull();
  });
});

describe("whole probe document", () => {
  it("gives every Windows section, with the failed ones unknown and listed", () => {
    const doc = probeDocument("gappy", NOW) as { sections: Record<string, unknown> };
    doc.sections.defender = { ok: false, error: "Invalid class \u001b[31m'MSFT_MpComputerStatus'" };
    const r = parseWindowsProbe(`\uFEFF${JSON.stringify(doc)}`, NOW);
    expect(r.failed).toEqual(["defender"]);
    // The remote text is cleaned: the terminal escape is gone.
    expect(r.facts.defender).toEqual({ unknown: true, reason: "probe section defender failed: Invalid class 'MSFT_MpComputerStatus'" });
    expect(r.facts.os).toMatchObject({ family: "windows", name: "Microsoft Windows 10 Pro", endOfLife: true });
    expect(r.facts.localAccounts).toMatchObject({ administrators: ["WIN-HSW\\Administrator", "WIN-HSW\\frontdesk"] });
    expect((r.facts.localAccounts as { users: { builtinAdministrator: boolean; name: string }[] }).users.find((u) => u.builtinAdministrator)?.name).toBe("Administrator");
    expect(r.sources.auditPolicy).toBe("auditpol /get /category:* /r");
  });
  it("ignores text a shell prints around the document", () => {
    const doc = JSON.stringify(probeDocument("hardened", NOW));
    expect(parseWindowsProbe(`Windows PowerShell\r\n${doc}\r\nPS C:\\Users\\scanner> `, NOW).failed).toEqual([]);
  });

  it("rejects output that is not the probe's", () => {
    expect(() => parseWindowsProbe("Access is denied.", NOW)).toThrow(/not JSON/);
    expect(() => parseWindowsProbe('{"probe":"other"}', NOW)).toThrow(/does not come from/);
  });
});
