// Fake SSH fleet for bench/ssh-fleet.js (run inside the hss-bsrv namespace, never on its own):
// one ssh2 server that verifies the client key and answers the probe's single exec by replaying a
// probe output recorded from a real run (the run's nonce swapped in), behind a TCP delay proxy
// adding DELAY_MS each way on each of N ports. The fake server keeps the target side cheap so the
// numbers measure the scanner, not 500 shells on a 2-core machine.
import { createServer, connect } from "node:net";
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";

const [hostKeyFile, clientPubFile, recordedFile, recordedMark, listenIp, firstPort, count, delayMs] = process.argv.slice(2);
const recorded = readFileSync(recordedFile, "utf8");
const allowed = ssh2.utils.parseKey(readFileSync(clientPubFile));
let execs = 0;
let sessions = 0;

const server = new ssh2.Server({ hostKeys: [readFileSync(hostKeyFile)] }, (client) => {
  client.on("error", () => {});
  client.on("authentication", (ctx) => {
    const ok = ctx.method === "publickey" && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH());
    if (!ok) return ctx.reject(["publickey"]);
    if (!ctx.signature) return ctx.accept();
    return allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
  });
  client.on("ready", () => {
    client.on("session", (accept) => {
      sessions++;
      const session = accept();
      session.on("exec", (acceptExec, _reject, info) => {
        execs++;
        const stream = acceptExec();
        let input = "";
        stream.on("data", (d) => (input += d));
        stream.on("end", () => {
          const mark = /^HS_MARK='([^']+)'/.exec(input)?.[1];
          if (info.command !== "sh -s" || !mark) {
            stream.stderr.write("unexpected command\n");
            stream.exit(2);
            return stream.end();
          }
          stream.write(recorded.split(recordedMark).join(mark));
          stream.exit(0);
          stream.end();
        });
      });
    });
  });
});

server.listen(0, "127.0.0.1", () => {
  const sshPort = server.address().port;
  const delay = Number(delayMs);
  let listening = 0;
  for (let i = 0; i < Number(count); i++) {
    createServer((a) => {
      const b = connect(sshPort, "127.0.0.1");
      a.setNoDelay(true);
      b.setNoDelay(true);
      const pipe = (from, to) => {
        from.on("data", (chunk) => setTimeout(() => to.writable && to.write(chunk), delay));
        from.on("end", () => setTimeout(() => to.end(), delay));
        from.on("error", () => to.destroy());
      };
      pipe(a, b);
      pipe(b, a);
    }).listen(Number(firstPort) + i, listenIp, () => {
      if (++listening === Number(count)) console.log("ready");
    });
  }
});

process.on("SIGTERM", () => {
  console.log(JSON.stringify({ execs, sessions }));
  process.exit(0);
});
