import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throw-away self-signed certificate for 127.0.0.1 (openssl, argv only). */
export function selfSignedCert(): { key: Buffer; cert: Buffer; certFile: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "hsw-tls-"));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-keyout", keyFile, "-out", certFile,
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ], { stdio: "ignore" });
  return {
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    certFile,
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
