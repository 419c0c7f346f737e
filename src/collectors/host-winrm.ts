import { readFile } from "node:fs/promises";
import type { TargetFacts, TargetSpec } from "../core/model.js";
import { TransportError, errorMessage } from "../core/errors.js";
import { windowsProbeCommand } from "../probes/windows/script.js";
import type { ProbeRunner } from "../transports/types.js";
import { WinRmClient } from "../transports/winrm/client.js";
import { collectWindowsHost, windowsFailure } from "./host-windows.js";
import type { CollectContext, Collector } from "./types.js";

const NAME = "host/winrm";

/**
 * Windows hosts over WinRM: `winrm://` (HTTP 5985, NTLMv2 with message encryption) and
 * `winrms://` (HTTPS 5986, NTLM or Basic; the certificate is verified against --ca-file or the
 * system store unless --insecure-tls is given). The whole probe is one command in one shell.
 */
async function collect(target: TargetSpec, ctx: CollectContext): Promise<TargetFacts> {
  const https = target.scheme === "winrms";
  const notes: string[] = [];
  if (!target.user) return windowsFailure(target, ctx, NAME, new TransportError("error", "WinRM targets need a user: winrm://user@host (DOMAIN\\user as DOMAIN%5Cuser)"));
  if (https && ctx.options.insecureTls) notes.push("--insecure-tls: the WinRM server's TLS certificate was NOT verified");
  if (!https) notes.push("WinRM over HTTP: NTLMv2 with message encryption (sealed SOAP messages)");
  let ca: Buffer | undefined;
  if (https && ctx.options.caFile) {
    try {
      ca = await readFile(ctx.options.caFile);
    } catch (err) {
      return windowsFailure(target, ctx, NAME, new TransportError("error", `cannot read --ca-file: ${errorMessage(err)}`), notes);
    }
  }
  const password = await ctx.secrets.password(`WinRM password for ${target.user}@${target.host}`);
  if (password === undefined) {
    return windowsFailure(target, ctx, NAME, new TransportError("auth_failed", "no password for WinRM (give --password-env VAR, or run on a terminal to be asked)"), notes);
  }
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(1000, ctx.options.timeoutMs))]);
  const client = new WinRmClient({
    host: target.host!,
    port: target.port!,
    https,
    user: target.user,
    password,
    auth: ctx.options.winrmAuth ?? "auto",
    ca,
    insecureTls: ctx.options.insecureTls,
    signal,
  });
  const cmd = windowsProbeCommand();
  const run: ProbeRunner = (stdin, opts) => client.run(cmd.command, cmd.args, Buffer.from(stdin, "utf8"), opts.maxOutputBytes);
  try {
    ctx.progress({ type: "target-step", target: target.id, step: "probing (WinRM)" });
    const facts = await collectWindowsHost(target, run, { ...ctx, signal }, NAME);
    facts.notes.unshift(...notes);
    ctx.log.verbose(`${target.id}: WinRM used ${client.requests} HTTP requests`);
    return facts;
  } catch (err) {
    return windowsFailure(target, ctx, NAME, err, notes);
  } finally {
    client.close();
  }
}

export const winrmHostCollector: Collector = { name: NAME, collect };
