// Makes real SSH logins against a lab host for the activity-review test, from the scanner namespace
// (`ip netns exec hss-scan node logins.mjs …`): failed password logins, then successful ones with a
// terminal (sshd writes wtmp only for sessions with a pty, btmp for each failed password).
// Usage: node logins.mjs HOST USER fail N            (wrong passwords)
//        node logins.mjs HOST USER password          (the password in $HSS_LOGIN_PW)
//        node logins.mjs HOST USER key KEYFILE
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";

const [host, username, mode, arg] = process.argv.slice(2);

function attempt(auth) {
  return new Promise((resolve) => {
    const c = new ssh2.Client();
    c.on("ready", () => {
      c.exec("true", { pty: true }, (err, stream) => {
        if (err) {
          c.end();
          return resolve("exec-error");
        }
        stream.on("close", () => {
          c.end();
          resolve("ok");
        });
        stream.resume();
      });
    });
    c.on("error", (e) => resolve(e.level === "client-authentication" ? "denied" : `error: ${e.message}`));
    c.connect({ host, port: 22, username, readyTimeout: 10_000, hostVerifier: () => true, tryKeyboard: false, ...auth });
  });
}

const results = [];
if (mode === "fail") {
  for (let i = 0; i < Number(arg); i++) results.push(await attempt({ password: `wrong-${i}` }));
} else if (mode === "password") {
  results.push(await attempt({ password: process.env.HSS_LOGIN_PW }));
} else {
  results.push(await attempt({ privateKey: readFileSync(arg) }));
}
process.stdout.write(JSON.stringify(results));
