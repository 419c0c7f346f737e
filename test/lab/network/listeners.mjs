// Tiny lab listeners for device-class ports, run inside one lab namespace.
// Usage: node listeners.mjs SPEC... where SPEC is one of
//   tcp:PORT                 accept, wait for data, answer nothing, close after 2 s
//   telnet:PORT              cleartext telnet-like: IAC negotiation then a login prompt
//   http-login:PORT          plain HTTP serving a login page
//   rtsp:PORT                answers RTSP requests with 200 OK
//   tls:PORT:CERT:KEY:MINVER TLS server (MINVER TLSv1 | TLSv1.2); MINVER TLSv1 also allows weak ciphers
// Binds 0.0.0.0. Writes "ready" on stdout once every port listens. Lab only: never run outside a namespace.
import net from "node:net";
import tls from "node:tls";
import http from "node:http";
import { readFileSync } from "node:fs";

const servers = [];
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve());
    servers.push(server);
  });
}
function holdThenClose(sock) {
  sock.on("error", () => {});
  sock.setTimeout(2000, () => sock.destroy());
  sock.on("data", () => setTimeout(() => sock.destroy(), 200));
}
const LOGIN_PAGE =
  "<html><head><title>EHR Portal - Sign in</title></head><body><form method=post action=/login>" +
  "<input name=user><input type=password name=password><button>Sign in</button></form></body></html>";

const jobs = [];
for (const spec of process.argv.slice(2)) {
  const [kind, portText, ...rest] = spec.split(":");
  const port = Number(portText);
  if (kind === "tcp") jobs.push(listen(net.createServer(holdThenClose), port));
  else if (kind === "telnet") {
    jobs.push(
      listen(
        net.createServer((s) => {
          s.on("error", () => {});
          s.write(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27]));
          s.write("\r\nlab login: ");
          s.setTimeout(3000, () => s.destroy());
        }),
        port,
      ),
    );
  } else if (kind === "http-login") {
    jobs.push(
      listen(
        http.createServer((req, res) => {
          res.writeHead(200, { "content-type": "text/html" });
          res.end(LOGIN_PAGE);
        }),
        port,
      ),
    );
  } else if (kind === "rtsp") {
    jobs.push(
      listen(
        net.createServer((s) => {
          s.on("error", () => {});
          s.setTimeout(3000, () => s.destroy());
          s.on("data", (d) => {
            const cseq = /CSeq:\s*(\d+)/i.exec(d.toString("latin1"))?.[1] ?? "1";
            s.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nServer: LabCam RTSP 1.0\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY\r\n\r\n`);
          });
        }),
        port,
      ),
    );
  } else if (kind === "tls") {
    const [certFile, keyFile, minVersion] = rest;
    const weak = minVersion === "TLSv1";
    const opts = {
      cert: readFileSync(certFile),
      key: readFileSync(keyFile),
      minVersion,
      ciphers: weak ? "ALL:@SECLEVEL=0" : "ECDHE+AESGCM:ECDHE+CHACHA20",
    };
    jobs.push(
      listen(
        tls.createServer(opts, (s) => {
          s.on("error", () => {});
          s.end("HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nok\n");
        }).on("tlsClientError", () => {}),
        port,
      ),
    );
  } else {
    console.error(`unknown listener spec ${spec}`);
    process.exit(2);
  }
}
await Promise.all(jobs);
process.stdout.write("ready\n");
const stop = () => {
  for (const s of servers) s.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
