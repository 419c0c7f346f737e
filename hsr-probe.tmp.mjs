import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
const html = readFileSync(process.argv[2], "utf8");
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const p = await b.newPage({ viewport: { width: 794, height: 1123 } });
await p.setContent(html);
console.log(await p.evaluate(() => [...document.querySelectorAll("main table")].filter(t => t.getBoundingClientRect().right > 795).map(t => { let h = t; while (h && h.tagName !== "H2") h = h.previousElementSibling || h.parentElement; return `${t.className} in ${h?.textContent} :: ${t.querySelector("tr")?.textContent?.slice(0,120)}`; })));
await p.screenshot({ path: "/tmp/hsr-art/probe.png", fullPage: false });
await b.close();
