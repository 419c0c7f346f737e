import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";

/**
 * Real servers for the history labs, from Debian packages: PostgreSQL 15 (initdb and pg_ctl as the
 * postgres user, listening on 127.0.0.1 and on a unix socket in the lab dir, which a scanner inside
 * a network namespace can reach too) and rsyslog as an RFC 5425 TLS receiver (gtls, anon auth,
 * every message's raw text to a file). Each is stopped by its own pid/data dir.
 */
const PG_BIN = "/usr/lib/postgresql/15/bin";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const uidOf = (user: string) => Number(execFileSync("id", ["-u", user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync("id", ["-g", user]).toString().trim());

export interface Postgres {
  port: number;
  socketDir: string;
  user: string;
  password: string;
  /** postgres://USER@127.0.0.1:PORT/postgres (no password: it comes from PGPASSWORD). */
  tcpUrl: string;
  /** Over the unix socket, for a scanner in a network namespace. */
  socketUrl: string;
  stop(): void;
}

export async function startPostgres(dir: string, password: string): Promise<Postgres> {
  const root = join(dir, "pg");
  mkdirSync(join(root, "sock"), { recursive: true });
  chmodSync(dir, 0o755);
  for (const p of [root, join(root, "sock")]) chownSync(p, uidOf("postgres"), gidOf("postgres"));
  const pwfile = join(root, "pw");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chownSync(pwfile, uidOf("postgres"), gidOf("postgres"));
  const as = (args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  as([`${PG_BIN}/initdb`, "-D", join(root, "data"), "-U", "hsh", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--no-sync"]);
  const port = await freePort();
  as([`${PG_BIN}/pg_ctl`, "-D", join(root, "data"), "-l", join(root, "log"), "-w", "-o", `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${join(root, "sock")} -c fsync=off`, "start"]);
  return {
    port,
    socketDir: join(root, "sock"),
    user: "hsh",
    password,
    tcpUrl: `postgres://hsh@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://hsh@localhost/postgres?host=${encodeURIComponent(join(root, "sock"))}&port=${port}`,
    stop: () => {
      if (existsSync(join(root, "data", "postmaster.pid"))) as([`${PG_BIN}/pg_ctl`, "-D", join(root, "data"), "-m", "immediate", "-w", "stop"]);
    },
  };
}

export interface Rsyslog {
  /** The TLS listener (RFC 5425). */
  port: number;
  /** A plain TCP listener (RFC 6587 octet counting) in the same rsyslogd, written to its own file. */
  tcpPort: number;
  caFile: string;
  outFile: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every message received so far over TLS, as raw text, one per line. */
  messages(): string[];
  /** Every message received so far over plain TCP. */
  tcpMessages(): string[];
}

/** A CA and a server certificate for 127.0.0.1, made with openssl. */
export function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "pipe", "pipe"] });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"), "-days", "2", "-subj", "/CN=hsh lab CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("ext.cnf"));
  return { ca: f("ca.pem"), cert: f("server.pem"), key: f("server.key") };
}

export async function makeRsyslog(dir: string): Promise<Rsyslog> {
  const root = join(dir, "rsyslog");
  mkdirSync(join(root, "work"), { recursive: true });
  const certs = makeCerts(root);
  const port = await freePort();
  const tcpPort = await freePort();
  const outFile = join(root, "received.log");
  const tcpFile = join(root, "received-tcp.log");
  const conf = join(root, "rsyslog.conf");
  writeFileSync(
    conf,
    `global(maxMessageSize="1m" workDirectory="${join(root, "work")}"
  DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${certs.ca}"
  DefaultNetstreamDriverCertFile="${certs.cert}" DefaultNetstreamDriverKeyFile="${certs.key}")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.Authmode="anon")
input(type="imtcp" port="${port}" address="127.0.0.1")
input(type="imtcp" port="${tcpPort}" address="127.0.0.1" streamDriver.name="ptcp" streamDriver.mode="0" ruleset="plain")
template(name="raw" type="string" string="%rawmsg%\\n")
ruleset(name="plain") {
  action(type="omfile" file="${tcpFile}" template="raw" flushOnTXEnd="on" asyncWriting="off")
}
action(type="omfile" file="${outFile}" template="raw" flushOnTXEnd="on" asyncWriting="off")
`,
  );
  let child: ChildProcess | undefined;
  const pidFile = join(root, "rsyslogd.pid");
  const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8").split("\n").filter((l) => l.length > 0) : []);
  const listening = (p: number) =>
    new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port: p }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
  return {
    port,
    tcpPort,
    caFile: certs.ca,
    outFile,
    async start() {
      child = spawn("/usr/sbin/rsyslogd", ["-n", "-f", conf, "-i", pidFile], { stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      for (let i = 0; i < 100; i++) {
        if ((await listening(port)) && (await listening(tcpPort))) return;
        if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`rsyslogd did not listen on ${port}: ${err}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const done = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
    messages: () => read(outFile),
    tcpMessages: () => read(tcpFile),
  };
}

