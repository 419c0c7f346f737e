import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LINE } from "../../../src/transports/winrm/client.js";
import {
  WINDOWS_BOOTSTRAP,
  WINDOWS_PROBE_MARKER,
  WINDOWS_PROBE_SCRIPT,
  scriptFromProbeStdin,
  windowsProbeCommand,
  windowsProbeScript,
  windowsProbeStdin,
} from "../../../src/probes/windows/script.js";

describe("Windows probe delivery", () => {
  it("stdin is ONE line of PowerShell (so `powershell -Command -` over OpenSSH runs it whole) carrying the script", () => {
    const stdin = windowsProbeStdin();
    expect(stdin.endsWith("\r\n")).toBe(true);
    expect(stdin.slice(0, -2)).not.toMatch(/[\r\n]/);
    expect(scriptFromProbeStdin(stdin)).toBe(WINDOWS_PROBE_SCRIPT);
  });

  it("the WinRM command line is the tiny -EncodedCommand bootstrap, far below the limit", () => {
    const { command, args } = windowsProbeCommand();
    expect(command).toBe("powershell.exe");
    expect(args.slice(0, 3)).toEqual(["-NoProfile", "-NonInteractive", "-EncodedCommand"]);
    expect(Buffer.from(args[3]!, "base64").toString("utf16le")).toBe(WINDOWS_BOOTSTRAP);
    expect([command, ...args].join(" ").length).toBeLessThan(MAX_COMMAND_LINE / 10);
  });

  it("the script is PowerShell 5.1 text that can sit in the template: no backticks, one JSON write, a try/catch per section", () => {
    expect(WINDOWS_PROBE_SCRIPT).toContain(WINDOWS_PROBE_MARKER);
    expect(WINDOWS_PROBE_SCRIPT).not.toContain("`");
    expect(WINDOWS_PROBE_SCRIPT.match(/\[Console\]::Out\.Write/g)).toHaveLength(1);
    const sections = [...WINDOWS_PROBE_SCRIPT.matchAll(/^Add-Section '(\w+)'/gm)].map((m) => m[1]);
    expect(sections).toEqual(["os", "bitlocker", "sessionLock", "rdp", "localUsers", "administrators", "auditPolicy", "securityLog", "defender", "firewall", "smb", "schannel", "lsa", "secureBoot", "hotfixes", "activity"]);
    // Reads only: no cmdlet that changes the machine.
    expect(WINDOWS_PROBE_SCRIPT).not.toMatch(/\b(Set|New|Remove|Enable|Disable|Add-Local|Clear|Stop|Start|Restart)-[A-Z]\w+/);
  });

  it("--activity-window goes in as $HsActivityDays after the marker line, which the activity section reads; the default leaves the script as it is", () => {
    expect(windowsProbeScript()).toBe(WINDOWS_PROBE_SCRIPT);
    expect(windowsProbeScript({ activityDays: 30 })).toBe(WINDOWS_PROBE_SCRIPT);
    const lines = windowsProbeScript({ activityDays: 90 }).split("\n");
    expect(lines[0]).toBe(WINDOWS_PROBE_SCRIPT.split("\n")[0]);
    expect(lines[1]).toBe("$HsActivityDays = 90");
    expect(WINDOWS_PROBE_SCRIPT).toMatch(/Get-Variable -Name HsActivityDays -ValueOnly -ErrorAction SilentlyContinue\n\s*if \(\$set\) \{ \$days = \[int\]\$set \}/);
    expect(() => windowsProbeScript({ activityDays: 4000 })).toThrow(/1–3650 days/);
  });
});
