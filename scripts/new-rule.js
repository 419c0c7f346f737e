// npm run new-rule -- <area>/<rule-id> [--pack rules/hipaa]: copies the rule template into place.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const packAt = args.indexOf("--pack");
const pack = packAt >= 0 ? args.splice(packAt, 2)[1] : "rules/hipaa";
const target = args[0] ?? "";
const m = /^([a-z0-9-]+)\/([a-z0-9]([a-z0-9-]*[a-z0-9])?)$/.exec(target);
if (!m) {
  console.error("usage: npm run new-rule -- <area>/<rule-id>   (lowercase, hyphens; e.g. linux/linux-usb-storage)");
  process.exitCode = 2;
} else {
  const file = join(pack, m[1], `${m[2]}.yaml`);
  if (existsSync(file)) {
    console.error(`${file} exists already`);
    process.exitCode = 2;
  } else {
    const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "templates/rule.yaml"), "utf8");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, template.replace("RULE_ID", m[2]));
    console.log(`created ${file}: edit it, then run: npx hipaa-scan rules test ${pack}`);
  }
}
