/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateFacts, prepare } from "../../../src/pipeline.js";
import { reporters } from "../../../src/reporters/index.js";
import { plainStyle } from "../../../src/reporters/types.js";
import { siteFacts } from "../../unit/risk/site.js";
import { requireLab } from "../prereqs.js";

/**
 * The HTML report in a real browser (Debian's chromium, headless, a fresh profile, no network):
 * the practice manager's sections exist in order, nothing is wider than an A4 page (794 CSS px),
 * on screen or in print, and it prints to PDF. HSR_ARTIFACTS=DIR keeps the screenshot and PDF.
 */
const A4_WIDTH = 794;
let dir: string;
let context: BrowserContext;
let html: string;

beforeAll(async () => {
  requireLab("browser");
  dir = mkdtempSync(join(tmpdir(), "hsr-browser-"));
  const run = { rulePaths: [], params: {}, failOn: "high" as const };
  // A baseline register that differs (one risk resolved since, one at another level) gives the "changes since the last run" block.
  const first = evaluateFacts(siteFacts(), run, await prepare(run));
  const previous = {
    runId: "20261101T090000Z-abc123",
    finishedAt: "2026-11-01T09:00:00.000Z",
    risks: [{ id: "R-resolved-since", title: "A risk the last run had and this one does not", level: 4 }, ...first.risks!.slice(1).map((r, i) => (i === 0 ? { ...r, level: r.level === 1 ? 2 : 1 } : r))],
  };
  html = reporters.html(evaluateFacts(siteFacts(), { ...run, riskHistory: { previous } }, await prepare(run)), { verbose: false, style: plainStyle });
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: A4_WIDTH, height: 1123 },
    offline: true,
  });
});

afterAll(async () => {
  await context?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Elements whose right edge passes the page width (closed <details> content has no box). */
const overflowing = (width: number) =>
  [...document.querySelectorAll("main *")]
    .filter((el) => {
      // Content of a closed <details> is neither shown nor printed.
      const hidden = el.tagName !== "SUMMARY" && el.parentElement?.closest("details:not([open])") !== null && !(el.parentElement?.tagName === "DETAILS" && el.tagName === "SUMMARY");
      const r = el.getBoundingClientRect();
      return !hidden && r.width > 0 && r.right > width + 0.5;
    })
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`)
    .slice(0, 5);

describe("HTML report in headless Chromium", () => {
  it("renders the risk sections first, fits A4 width on screen and in print, and prints to PDF", async () => {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    if (process.env.HSR_ARTIFACTS) writeFileSync(join(process.env.HSR_ARTIFACTS, "report.html"), html);
    const order = await page.evaluate(() =>
      ["risk-matrix", "top-risks", "heatmap", "assets", "network-map"].map((id) => {
        const el = document.getElementById(id);
        return el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : -1;
      }),
    );
    expect(order.every((y) => y >= 0)).toBe(true);
    expect(order.slice(0, 3)).toEqual([...order.slice(0, 3)].sort((a, b) => a - b));
    const findingsTop = await page.evaluate(() => {
      const h = [...document.querySelectorAll("h2")].find((e) => e.textContent === "Findings by safeguard");
      return h ? h.getBoundingClientRect().top + window.scrollY : -1;
    });
    expect(findingsTop).toBeGreaterThan(order[2]!);
    expect(await page.locator("#risk-matrix svg rect").count()).toBe(25);
    expect(await page.locator("#top-risks + table.risk-top tbody tr").count()).toBe(10);
    expect(await page.locator("#network-map svg g.seg").count()).toBe(2);
    expect(await page.locator("#risk-overview #risk-changes li").count()).toBeGreaterThanOrEqual(3);
    // Every catalog specification carries its NIST line (SP 800-53 controls, SP 800-66r2 key activities).
    expect(await page.locator("table.catalog .nist").count()).toBe(await page.locator("table.catalog tbody tr").count());

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(A4_WIDTH);
    expect(await page.evaluate(overflowing, A4_WIDTH)).toEqual([]);
    const shot = await page.screenshot({ fullPage: true });
    await page.emulateMedia({ media: "print" });
    expect(await page.evaluate(overflowing, A4_WIDTH)).toEqual([]);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(20_000);
    if (process.env.HSR_ARTIFACTS) {
      writeFileSync(join(process.env.HSR_ARTIFACTS, "report.png"), shot);
      writeFileSync(join(process.env.HSR_ARTIFACTS, "report.pdf"), pdf);
    }
    await page.close();
  });
});
