// Runs axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium over every
// page given, and fails on any violation, any request to another host, any
// Content-Security-Policy violation and any script error.
//
//   node axe.mjs http://127.0.0.1:8000/ pages.txt
//
// pages.txt lists one path per line, relative to the base URL.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launchChromium } from "./browser.mjs";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, listFile] = process.argv.slice(2);
if (!base || !listFile) {
  console.error("usage: node axe.mjs BASE_URL PAGES_FILE");
  process.exit(2);
}
const origin = new URL(base).origin;
const paths = readFileSync(listFile, "utf8").split("\n").filter(Boolean);
const WORKERS = 2;

const browser = await launchChromium();

let violations = 0;
let problems = 0;
let checked = 0;

// One page per worker, reused from address to address (a new page per
// address costs more than the check itself).
async function worker(context) {
  const page = await context.newPage();
  let issues = [];
  page.on("request", (req) => {
    const u = new URL(req.url());
    if (u.protocol !== "data:" && u.origin !== origin) {
      issues.push(`request to another host: ${req.url()}`);
    }
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") issues.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => issues.push(`script error: ${err.message}`));
  while (next < paths.length) {
    const path = paths[next++];
    issues = [];
    try {
      const resp = await page.goto(new URL(path, base).href, { waitUntil: "load" });
      if (!resp || resp.status() !== 200) {
        issues.push(`HTTP ${resp ? resp.status() : "no response"}`);
      }
      // Evaluated through the DevTools protocol, which the page's CSP does
      // not govern: the CSP stays enforced for the page's own files.
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
          resultTypes: ["violations"],
        });
      });
      for (const v of result.violations) {
        violations += v.nodes.length;
        for (const n of v.nodes) {
          issues.push(`axe ${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`);
        }
      }
      checked += 1;
    } catch (e) {
      issues.push(`failed to check: ${e.message}`);
    }
    problems += issues.length;
    for (const i of issues) console.log(`${path}: ${i}`);
  }
  await page.close();
}

let next = 0;
const contexts = await Promise.all(
  Array.from({ length: WORKERS }, () => browser.newContext()),
);
await Promise.all(contexts.map(worker));
await browser.close();
console.log(`axe: ${checked} pages checked, ${violations} violations, ${problems} problems in all`);
process.exit(problems === 0 && checked === paths.length ? 0 : 1);
