import { readFragment } from "../assets.js";
import { activityDaysLine, type ProbeSettings } from "../script.js";
import { WINDOWS_SECTIONS } from "./sections.js";

/**
 * The Windows probe: ONE PowerShell 5.1-compatible script, inbox cmdlets only, run once per host.
 * It writes one JSON document `{probe, version, sections: {name: {ok, data} | {ok: false, error}}}`;
 * each section runs in its own try/catch so one failure leaves the rest. It reads settings only and
 * writes nothing on the target.
 *
 * The script travels on stdin (base64 of its UTF-8 text) behind the tiny -EncodedCommand bootstrap
 * below, so no command-line length limit applies and no console code page can mangle it.
 * The script is real PowerShell: src/probes/windows/prelude.ps1 (the JSON envelope and helpers),
 * one .ps1 fragment per section beside its parser, and finish.ps1 (the one JSON write). It avoids
 * backticks (PowerShell's escape character), so no fragment can hide an escape.
 */
export const WINDOWS_PROBE_MARKER = "hipaa-scan-windows-probe";
export const WINDOWS_PROBE_VERSION = 1;

/** The probe: prelude.ps1, each registered section's fragment in list order, finish.ps1. */
export const WINDOWS_PROBE_SCRIPT = buildWindowsProbeScript();

function buildWindowsProbeScript(): string {
  const prelude = readFragment(new URL("./prelude.ps1", import.meta.url));
  if (!prelude.startsWith(`# ${WINDOWS_PROBE_MARKER} v${WINDOWS_PROBE_VERSION}\n`)) {
    throw new Error("src/probes/windows/prelude.ps1 must start with the probe marker and version");
  }
  const parts = WINDOWS_SECTIONS.map((s) => (s.script ? readFragment(s.script) : ""));
  return prelude + parts.join("") + readFragment(new URL("./finish.ps1", import.meta.url));
}

/** The probe with this run's settings: the window goes in as `$HsActivityDays` after the marker line. */
export function windowsProbeScript(settings: ProbeSettings = {}): string {
  const line = activityDaysLine(settings, (d) => `$HsActivityDays = ${d}`);
  if (!line) return WINDOWS_PROBE_SCRIPT;
  const nl = WINDOWS_PROBE_SCRIPT.indexOf("\n") + 1;
  return WINDOWS_PROBE_SCRIPT.slice(0, nl) + line + WINDOWS_PROBE_SCRIPT.slice(nl);
}

/**
 * The -EncodedCommand bootstrap for WinRM: it reads the whole of stdin and runs it as a script.
 * Small enough for any command line.
 */
export const WINDOWS_BOOTSTRAP = "$ErrorActionPreference='Stop';$s=[Console]::In.ReadToEnd();& ([ScriptBlock]::Create($s))";

/** The fixed command WinRM runs: `powershell.exe` and its arguments (no target text). */
export function windowsProbeCommand(): { command: string; args: string[] } {
  const encoded = Buffer.from(WINDOWS_BOOTSTRAP, "utf16le").toString("base64");
  return { command: "powershell.exe", args: ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded] };
}

/**
 * What goes on stdin: ONE line of PowerShell that sets UTF-8 output, decodes the script (base64
 * of UTF-8) and runs it. One line works both behind the WinRM bootstrap and for
 * `powershell -NoProfile -NonInteractive -Command -` over OpenSSH, where stdin is read line by
 * line and a multi-line script would break at its first block.
 */
export function windowsProbeStdin(script = WINDOWS_PROBE_SCRIPT): string {
  const b64 = Buffer.from(script, "utf8").toString("base64");
  return (
    // Setting the console encoding can throw where there is no console handle: then the default stays.
    "try{[Console]::OutputEncoding=[Text.UTF8Encoding]::new($false)}catch{};" +
    `& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}'))))\r\n`
  );
}

/** The script a probe stdin line carries (for the test server and tests). */
export function scriptFromProbeStdin(stdin: string): string | undefined {
  const m = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(stdin);
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : undefined;
}
