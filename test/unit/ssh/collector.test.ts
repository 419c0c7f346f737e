import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import ssh2 from "ssh2";
import { sshHostCollector } from "../../../src/collectors/host-ssh.js";
import type { CollectContext } from "../../../src/collectors/types.js";
import { parseTarget } from "../../../src/core/targets.js";
import { factsOf } from "../../helpers/facts.js";

/**
 * The SSH collector against an in-process ssh2 server on 127.0.0.1: which command it sends, what
 * goes on stdin, how it treats the server's identification and host key. Real OpenSSH servers are
 * exercised in test/lab/ssh.
 */
const dir = mkdtempSync(join(tmpdir(), "hss-unit-"));
const hostKey = ssh2.utils.generateKeyPairSync("ed25519");
const otherKey = ssh2.utils.generateKeyPairSync("ed25519");
const clientKey = ssh2.utils.generateKeyPairSync("ed25519");
writeFileSync(join(dir, "id"), clientKey.private, { mode: 0o600 });

interface Seen {
  auths: number;
  execs: { command: string; stdin: string }[];
}

let servers: ssh2.Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

/** A server that records what it is asked and answers each exec with `reply(stdin)`. */
async function server(ident: string, reply: (stdin: string) => string, kbdPassword?: string, allowedPublic = clientKey.public): Promise<{ port: number; seen: Seen }> {
  const seen: Seen = { auths: 0, execs: [] };
  const allowed = ssh2.utils.parseKey(allowedPublic);
  if (allowed instanceof Error) throw allowed;
  const s = new ssh2.Server({ hostKeys: [hostKey.private], ident }, (client) => {
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      seen.auths++;
      if (kbdPassword !== undefined) {
        // Only keyboard-interactive, with one hidden prompt and one echoed prompt.
        if (ctx.method !== "keyboard-interactive") return ctx.reject(["keyboard-interactive"]);
        return ctx.prompt(
          [
            { prompt: "Password: ", echo: false },
            { prompt: "Site code: ", echo: true },
          ],
          (answers) => (answers[0] === kbdPassword && answers[1] === "" ? ctx.accept() : ctx.reject()),
        );
      }
      if (ctx.method === "publickey" && ctx.key.data.equals(allowed.getPublicSSH())) return ctx.accept();
      ctx.reject(["publickey"]);
    });
    client.on("ready", () =>
      client.on("session", (accept) =>
        accept().on("exec", (acceptExec, _r, info) => {
          const stream = acceptExec();
          const rec = { command: info.command, stdin: "" };
          seen.execs.push(rec);
          stream.on("data", (d: Buffer) => (rec.stdin += d.toString()));
          stream.on("end", () => {
            stream.write(reply(rec.stdin));
            stream.exit(0);
            stream.end();
          });
        }),
      ),
    );
  });
  servers.push(s);
  await new Promise<void>((res) => s.listen(0, "127.0.0.1", res));
  return { port: (s.address() as AddressInfo).port, seen };
}

function ctx(knownHostsFile: string, acceptNewHostKeys: boolean, password?: string, identity = join(dir, "id")): CollectContext {
  return {
    options: { timeoutMs: 10_000, identityFiles: [identity], knownHostsFile, acceptNewHostKeys, sudo: false, starttls: false, insecureTls: false, networkProfile: "quick", sshConfigFile: join(dir, "no-config") },
    secrets: { password: async () => password },
    signal: AbortSignal.timeout(10_000),
    progress: () => {},
    log: { verbose: () => {}, warn: () => {} },
    now: () => new Date("2026-11-22T12:00:00Z"),
  };
}

/** A minimal POSIX probe answer: the ident section and the done marker, with this run's nonce. */
function posixReply(stdin: string): string {
  const mark = /^HS_MARK='([^']+)'/.exec(stdin)![1]!;
  return `\n${mark} begin ident\nuid=1000\nuser=scan\nos=Linux\nkernel=6.1.0\narch=x86_64\nhostname=unit-host\n\n${mark} end ident rc=0\n\n${mark} done\n`;
}

describe("SSH collector", () => {
  it("sends the POSIX probe on stdin to `sh -s` in one exec and records a new key when asked", async () => {
    const { port, seen } = await server("OpenSSH_9.2p1 Debian-2", posixReply);
    const kh = join(dir, "kh-new");
    const f = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${port}`), ctx(kh, true));
    expect(seen.execs.map((e) => e.command)).toEqual(["sh -s"]);
    expect(seen.execs[0]!.stdin).toMatch(/^HS_MARK='@@hs:[0-9a-f]{32}'\n/);
    expect(factsOf(f, "host").os).toMatchObject({ family: "linux", hostname: "unit-host" });
    expect(f.notes.join("\n")).toMatch(/host key SHA256:\S+ was not known and was added/);
    expect(readFileSync(kh, "utf8")).toBe(`[127.0.0.1]:${port} ssh-ed25519 ${hostKey.public.split(" ")[1]}\n`);
  });

  it("runs PowerShell reading stdin when the server is OpenSSH for Windows", async () => {
    const { port, seen } = await server("OpenSSH_for_Windows_8.1", () => "not a probe answer");
    const kh = join(dir, "kh-win");
    const f = await sshHostCollector.collect(parseTarget(`ssh://admin@127.0.0.1:${port}`), ctx(kh, true));
    expect(seen.execs.map((e) => e.command)).toEqual(["powershell -NoProfile -NonInteractive -Command -"]);
    expect(seen.execs[0]!.stdin).not.toMatch(/HS_MARK/);
    expect(f.collector).toBe("host/ssh");
    expect(f.status).toBe("error");
    // The Windows collector parsed (and rejected) what came back: the dispatch reached it.
    expect(f.statusReason).toMatch(/probe output is not JSON/);
  });

  it("asks for an encrypted key's passphrase once for many hosts, and refuses a wrong one", async () => {
    const locked = ssh2.utils.generateKeyPairSync("ed25519", { passphrase: "unlock-me", cipher: "aes256-ctr", rounds: 4 });
    const file = join(dir, "id-locked");
    writeFileSync(file, locked.private, { mode: 0o600 });
    const asked: string[] = [];
    const c = (kh: string, pw: string) => ({ ...ctx(kh, true, undefined, file), secrets: { password: async (p: string) => (asked.push(p), pw) } });
    const wrong = await server("OpenSSH_9.2p1", posixReply, undefined, locked.public);
    const bad = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${wrong.port}`), c(join(dir, "kh-locked0"), "not-it"));
    expect(bad.status).toBe("auth_failed");
    expect(wrong.seen.execs).toEqual([]);
    asked.length = 0;
    const hosts = [await server("OpenSSH_9.2p1", posixReply, undefined, locked.public), await server("OpenSSH_9.2p1", posixReply, undefined, locked.public)];
    for (const [i, h] of hosts.entries()) {
      const f = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${h.port}`), c(join(dir, `kh-locked${i + 1}`), "unlock-me"));
      expect(f.status).toBe("ok");
    }
    expect(asked).toEqual([`passphrase for key ${file}`]);
  });

  it("reads an identity file again when it changes between scans in one process", async () => {
    const file = join(dir, "id-rotated");
    writeFileSync(file, otherKey.private, { mode: 0o600 });
    const { port } = await server("OpenSSH_9.2p1", posixReply);
    const target = parseTarget(`ssh://scan@127.0.0.1:${port}`);
    expect((await sshHostCollector.collect(target, ctx(join(dir, "kh-rot"), true, undefined, file))).status).toBe("auth_failed");
    writeFileSync(file, clientKey.private, { mode: 0o600 });
    expect((await sshHostCollector.collect(target, ctx(join(dir, "kh-rot"), true, undefined, file))).status).toBe("ok");
  });

  it("refuses a changed host key before authenticating or running anything", async () => {
    const { port, seen } = await server("OpenSSH_9.2p1", posixReply);
    const kh = join(dir, "kh-changed");
    writeFileSync(kh, `[127.0.0.1]:${port} ${otherKey.public}\n`);
    const f = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${port}`), ctx(kh, true));
    expect(f.status).toBe("host_key_mismatch");
    expect(f.statusReason).toMatch(/REMOTE HOST KEY HAS CHANGED — presented ssh-ed25519 SHA256:\S+, known ssh-ed25519 SHA256:\S+/);
    expect(f.statusReason).toContain(`ssh-keygen -R '[127.0.0.1]:${port}'`);
    expect(seen.auths).toBe(0);
    expect(seen.execs).toEqual([]);
  });

  it("does not scan a host whose key is unknown without --accept-new-host-keys", async () => {
    const { port, seen } = await server("OpenSSH_9.2p1", posixReply);
    const f = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${port}`), ctx(join(dir, "kh-none"), false));
    expect(f.status).toBe("host_key_mismatch");
    expect(f.statusReason).toMatch(/not in .*kh-none; not scanned/);
    expect(seen.auths).toBe(0);
  });

  it("answers keyboard-interactive with the password from the secret provider (hidden prompts only)", async () => {
    const { port, seen } = await server("OpenSSH_9.2p1", posixReply, "s3cret-kbd");
    const ok = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${port}`), ctx(join(dir, "kh-kbd"), true, "s3cret-kbd"));
    expect(ok.status).toBe("ok");
    expect(seen.execs.map((e) => e.command)).toEqual(["sh -s"]);
    const bad = await sshHostCollector.collect(parseTarget(`ssh://scan@127.0.0.1:${port}`), ctx(join(dir, "kh-kbd"), true, "wrong"));
    expect(bad.status).toBe("auth_failed");
    expect(JSON.stringify(bad)).not.toContain("wrong");
  });
});
