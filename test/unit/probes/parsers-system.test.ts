import { describe, expect, it } from "vitest";
import { isUnknown } from "../../../src/facts/unknown.js";
import { endOfLifeDate, isEndOfLife } from "../../../src/probes/linux/eol.js";
import { parseIpAddr, parseInterfaces } from "../../../src/probes/linux/interfaces.js";
import { parseOs, parseOsRelease } from "../../../src/probes/linux/os.js";
import { parseShellTimeout, parseTmoutLine } from "../../../src/probes/linux/shell-timeout.js";
import { parseGnome } from "../../../src/probes/linux/gnome.js";
import { parseTimeSync } from "../../../src/probes/linux/time-sync.js";
import { loadProbe } from "./helpers.js";

const now = new Date("2026-11-22T21:00:00Z");

describe("os (uname + /etc/os-release)", () => {
  it("reads Debian 12 from a real capture, with its end-of-support date", () => {
    const os = parseOs(loadProbe("debian12-root"), now);
    if (isUnknown(os)) throw new Error(os.reason);
    expect(os).toMatchObject({ family: "linux", name: "Debian GNU/Linux", version: "12", id: "debian", arch: "x86_64" });
    expect(os.kernel).toMatch(/^\d+\.\d+/);
    expect(os.endOfLife).toBe(false);
    expect(os.endOfLifeDate).toBe("2028-06-30");
  });

  it("parses quoted os-release values", () => {
    const m = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
    expect(m.get("PRETTY_NAME")).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(m.get("VERSION_ID")).toBe("12");
  });

  it("judges end of life against the collection time, RHEL-likes by major version", () => {
    expect(isEndOfLife("ubuntu", "20.04", now)).toBe(true);
    expect(isEndOfLife("ubuntu", "24.04", now)).toBe(false);
    expect(isEndOfLife("rocky", "9.4", now)).toBe(false);
    expect(isEndOfLife("centos", "7", now)).toBe(true);
    expect(isEndOfLife("debian", "12", new Date("2028-07-01T00:00:00Z"))).toBe(true);
    expect(endOfLifeDate("arch", "rolling")).toBeNull();
    expect(isEndOfLife("debian", "99", now)).toBeNull();
  });
});

describe("shell TMOUT", () => {
  it("finds the smallest TMOUT and readonly across files (hardened capture)", () => {
    const shell = parseShellTimeout(loadProbe("debian12-hardened"));
    expect(shell.tmout).toBe(600);
    expect(shell.readonly).toBe(true);
    expect(shell.settings).toEqual([
      { file: "/etc/profile.d/hsp-tmout.sh", value: 900, readonly: true },
      { file: "/etc/bash.bashrc", value: 600, readonly: true },
    ]);
  });

  it("gives null and not readonly when no file sets TMOUT (stock capture)", () => {
    expect(parseShellTimeout(loadProbe("debian12-root"))).toEqual({ tmout: null, readonly: false, settings: [] });
  });

  it("understands the usual ways of writing TMOUT", () => {
    expect(parseTmoutLine("readonly TMOUT=300")).toEqual({ value: 300, readonly: true });
    expect(parseTmoutLine("declare -xr TMOUT=900")).toEqual({ value: 900, readonly: true });
    expect(parseTmoutLine("typeset -r TMOUT")).toEqual({ value: null, readonly: true });
    expect(parseTmoutLine("TMOUT=600; readonly TMOUT; export TMOUT")).toEqual({ value: 600, readonly: true });
    expect(parseTmoutLine("export TMOUT=120")).toEqual({ value: 120, readonly: false });
    expect(parseTmoutLine("# TMOUT=60")).toBeNull();
  });
});

describe("gnome (dconf keyfiles)", () => {
  it("reads idle-delay, lock settings and locks from local.d, not the login screen's gdm.d", () => {
    const g = parseGnome(loadProbe("debian12-hardened"));
    expect(g).toEqual({
      installed: false,
      idleDelay: 600,
      lockEnabled: true,
      lockDelay: 0,
      lockedKeys: ["/org/gnome/desktop/session/idle-delay", "/org/gnome/desktop/screensaver/lock-enabled"],
    });
  });

  it("gives nulls when nothing is set system-wide", () => {
    const g = parseGnome(loadProbe("debian12-root"));
    expect(g).toMatchObject({ idleDelay: null, lockEnabled: null, lockDelay: null, lockedKeys: [] });
  });
});

describe("time sync", () => {
  it("sees chrony running but not synchronised (hardened capture, chrony pointed at loopback)", () => {
    expect(parseTimeSync(loadProbe("debian12-hardened"))).toEqual({ service: "chrony", synchronized: false });
  });

  it("is unknown when timedatectl cannot talk to systemd and no chronyd runs", () => {
    const t = parseTimeSync(loadProbe("debian12-root"));
    expect(t.service).toBeNull();
    expect(isUnknown(t.synchronized) && t.synchronized.reason).toMatch(/timedatectl/);
  });
});

describe("interfaces (ip -j addr)", () => {
  it("lists addresses per interface from a real capture", () => {
    const ifs = parseInterfaces(loadProbe("debian12-root"));
    if (isUnknown(ifs)) throw new Error(ifs.reason);
    const lo = ifs.find((i) => i.name === "lo");
    expect(lo).toEqual({ name: "lo", ipv4: ["127.0.0.1"], ipv6: ["::1"], mac: null });
    expect(ifs.some((i) => i.mac !== null && /^[0-9a-f:]{17}$/.test(i.mac))).toBe(true);
  });

  it("sees only loopback inside the capture's network namespace", () => {
    const ifs = parseInterfaces(loadProbe("debian12-hardened"));
    expect(Array.isArray(ifs) && ifs.map((i) => i.name)).toEqual(["lo"]);
  });

  it("throws on output that is not ip's JSON", () => {
    expect(() => parseIpAddr("{}")).toThrow();
  });
});
