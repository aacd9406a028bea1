// Lighthouse, mobile with its default (simulated) throttling, over pages of
// a served site: one line per page with the four category scores, the
// element count (dom-size) and the HTML transferred.
//
//   node run.mjs BASE_URL PATH...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error("usage: node run.mjs BASE_URL PATH...");
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const rows = [];
try {
  for (const path of paths) {
    const url = new URL(path, base).href;
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const lhr = result.lhr;
    const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const doc = (lhr.audits["network-requests"]?.details?.items || []).find((r) => r.resourceType === "Document");
    const row = {
      path: path || "/",
      performance: score("performance"),
      accessibility: score("accessibility"),
      "best-practices": score("best-practices"),
      seo: score("seo"),
      elements: (lhr.audits["dom-size-insight"] ?? lhr.audits["dom-size"])?.numericValue ?? null,
      tbt_ms: Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0),
      html_transfer: doc ? doc.transferSize : null,
      html_bytes: doc ? doc.resourceSize : null,
      failing: Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary")
        .map((a) => a.id),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await chrome.kill();
}
