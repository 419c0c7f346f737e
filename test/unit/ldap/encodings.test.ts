import { describe, expect, it } from "vitest";
import {
  durationTo,
  epochDaysToIso,
  escapeFilter,
  fileTimeToIso,
  generalizedTimeToIso,
  isoToFileTime,
  ridOf,
  sidToString,
  uacFlags,
} from "../../../src/directory/encodings.js";
import { loadEntries } from "./fixtures.js";

describe("FILETIME", () => {
  it("converts values above 2^53 exactly with BigInt", () => {
    // 134398543934700150 is a pwdLastSet captured from Samba (fixtures/ldap/samba-4.17)
    expect(fileTimeToIso("134398543934700150")).toBe("2026-11-22T20:53:13.470Z");
    expect(fileTimeToIso("116444736000000000")).toBe("1970-01-01T00:00:00.000Z");
    expect(isoToFileTime("2026-11-22T20:53:13.470Z")).toBe("134398543934700000");
  });
  it("treats 0 and 2^63-1 as never, and rejects junk", () => {
    expect(fileTimeToIso("0")).toBeNull();
    expect(fileTimeToIso("9223372036854775807")).toBeNull();
    expect(fileTimeToIso(undefined)).toBeNull();
    expect(fileTimeToIso("12abc")).toBeNull();
  });
});

describe("durations and times", () => {
  it("reads negative 100 ns durations", () => {
    expect(durationTo("-36288000000000", "days")).toBe(42); // Samba default maxPwdAge
    expect(durationTo("-18000000000", "seconds", false)).toBe(1800); // lockoutDuration 30 min
    expect(durationTo("-9223372036854775808", "days")).toBeNull();
    expect(durationTo("0", "days")).toBeNull();
    expect(durationTo("0", "days", false)).toBe(0);
  });
  it("reads GeneralizedTime with and without fractions", () => {
    expect(generalizedTimeToIso("20261122205313.0Z")).toBe("2026-11-22T20:53:13.000Z");
    expect(generalizedTimeToIso("20240131120000Z")).toBe("2024-01-31T12:00:00.000Z");
    expect(generalizedTimeToIso("20240131120000+0100")).toBe("2024-01-31T11:00:00.000Z");
    expect(generalizedTimeToIso("garbage")).toBeNull();
  });
  it("reads shadow day counts", () => {
    expect(epochDaysToIso("19723")).toBe("2024-01-01T00:00:00.000Z");
    expect(epochDaysToIso("-1")).toBeNull();
  });
});

describe("userAccountControl", () => {
  it("names the flags", () => {
    expect(uacFlags(66048)).toEqual(["NORMAL_ACCOUNT", "DONT_EXPIRE_PASSWORD"]);
    expect(uacFlags(0x202 | 0x400000)).toEqual(["ACCOUNTDISABLE", "NORMAL_ACCOUNT", "DONT_REQ_PREAUTH"]);
  });
});

describe("SIDs", () => {
  it("decodes a captured binary objectSid", () => {
    const [domain] = loadEntries("samba-4.17/domain.json");
    const sid = sidToString(domain!.objectSid as Buffer);
    expect(sid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    expect(ridOf("S-1-5-21-1-2-3-500")).toBe(500);
    expect(ridOf("S-1-5-32-544")).toBe(544);
  });
  it("rejects truncated buffers", () => {
    expect(sidToString(Buffer.from([1, 5, 0, 0, 0, 0, 0, 5, 21, 0]))).toBeNull();
    expect(sidToString(Buffer.from([1, 1, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0]))).toBe("S-1-5-32");
  });
  it("escapes filter values", () => {
    expect(escapeFilter("a*(b)\\c")).toBe("a\\2a\\28b\\29\\5cc");
  });
});
