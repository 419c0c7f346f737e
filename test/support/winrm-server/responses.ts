import { WINDOWS_BOOTSTRAP, WINDOWS_PROBE_MARKER, scriptFromProbeStdin } from "../../../src/probes/windows/script.js";
import { fixture } from "./fixtures.js";
import { probeDocument, type ProfileName } from "./profiles.js";
import type { CommandHandler, CommandResult } from "./server.js";

/**
 * How the test server answers commands: the hipaa-scan probe (bootstrap + stdin) with a profile's
 * probe document, a few PowerShell scripts and cmd commands with captured Windows outputs
 * (fixtures/windows/), and cmd.exe's own message for anything else.
 */

const PS_SCRIPTS: Record<string, () => CommandResult> = {
  "Get-SmbServerConfiguration": () => ({ stdout: `\r\n${fixture("get-smbserverconfiguration.txt")}\r\n\r\n`, exitCode: 0 }),
  "Get-MpComputerStatus": () => ({ stdout: `\r\n${fixture("get-mpcomputerstatus.txt")}\r\n\r\n`, exitCode: 0 }),
  "$ProgressPreference='SilentlyContinue';Bogus": () => ({ stdout: "", stderr: fixture("clixml-error-command-not-found.txt"), exitCode: 1 }),
};

const CMD: Record<string, () => CommandResult> = {
  "auditpol /get /category:* /r": () => ({ stdout: fixture("auditpol-r-assembled.csv"), exitCode: 0 }),
};

export interface HandlerOptions {
  profile?: ProfileName;
  /** Extra bytes of stdout after the probe JSON (for output-cap tests). */
  padProbeOutput?: number;
}

export function fixtureCommands(opts: HandlerOptions = {}): CommandHandler {
  const profile = opts.profile ?? "gappy";
  return (req) => {
    const line = [req.command, ...req.args].join(" ").trim();
    const tokens = line.split(/\s+/);
    const exe = (tokens[0] ?? "").toLowerCase().replace(/\.exe$/, "");
    if (exe === "powershell") {
      const at = tokens.findIndex((t) => /^-(e|ec|enc|encodedcommand)$/i.test(t));
      const script = at >= 0 ? Buffer.from(tokens[at + 1] ?? "", "base64").toString("utf16le") : undefined;
      if (script === WINDOWS_BOOTSTRAP) {
        if (!req.stdinClosed) return undefined;
        const inner = scriptFromProbeStdin(req.stdin.toString("utf8"));
        if (inner?.includes(WINDOWS_PROBE_MARKER)) {
          // [Console]::OutputEncoding = UTF8 makes Windows PowerShell write a byte-order mark first.
          return { stdout: `\uFEFF${JSON.stringify(probeDocument(profile))}${" ".repeat(opts.padProbeOutput ?? 0)}`, exitCode: 0 };
        }
        return { stdout: "", stderr: "the test server only runs the hipaa-scan probe behind the bootstrap", exitCode: 1 };
      }
      const known = script !== undefined ? PS_SCRIPTS[script.trim()] : undefined;
      if (known) return known();
      return { stdout: "", stderr: "the test server has no captured output for this PowerShell script", exitCode: 1 };
    }
    const cmd = CMD[line];
    if (cmd) return cmd();
    return {
      stdout: "",
      stderr: `'${tokens[0] ?? ""}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
      exitCode: 1,
    };
  };
}
