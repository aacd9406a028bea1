// What the site's script does for readers, checked in headless Chromium:
// search, the compare page and its shareable address, table filters and
// sorting, and the same pages without JavaScript.
//
//   node behaviour.mjs http://127.0.0.1:8000/
import { launchChromium } from "./browser.mjs";

const base = process.argv[2];
if (!base) {
  console.error("usage: node behaviour.mjs BASE_URL");
  process.exit(2);
}
const browser = await launchChromium();
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : ` — ${detail}`}`);
}
const url = (p) => new URL(p, base).href;

const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
page.on("pageerror", (e) => check("no script error", false, e.message));

async function hits(path) {
  await page.goto(url(path), { waitUntil: "networkidle" });
  await page.waitForSelector("#search-results p");
  return page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
}

// Search, insensitive to diacritics and case.
let found = await hits("search/?q=so+ngoai+vu");
check("search 'so ngoai vu' finds Sở Ngoại vụ first", found[0] === "Sở Ngoại vụ", JSON.stringify(found));
found = await hits("search/?q=" + encodeURIComponent("SỞ NGOẠI VỤ"));
check("search 'SỞ NGOẠI VỤ' finds Sở Ngoại vụ first", found[0] === "Sở Ngoại vụ", JSON.stringify(found));
const withMarks = await hits("search/?q=" + encodeURIComponent("ký số"));
const without = await hits("search/?q=ky+so");
check("search 'ký số' and 'ky so' find the same", JSON.stringify(withMarks) === JSON.stringify(without),
  `${JSON.stringify(withMarks)} vs ${JSON.stringify(without)}`);
check("search 'ky so' finds the signed-documents rate", without.includes("Tỷ lệ văn bản đi được ký số"), JSON.stringify(without));
found = await hits("en/search/?q=so+ngoai+vu");
check("English search 'so ngoai vu' finds the Department of Foreign Affairs",
  found[0] === "Department of Foreign Affairs", JSON.stringify(found));
await page.fill("#search-q", "zzzz");
await page.waitForFunction(() => /zzzz/.test(document.querySelector("#search-results").textContent));
check("search with no hit says so", (await page.$$("#search-results li")).length === 0);
check("search keeps the query in the address", new URL(page.url()).searchParams.get("q") === "zzzz", page.url());
// The header's search box leads to the search page with the query.
await page.goto(url("agencies/"));
await page.fill("#site-search-q", "so y te");
await Promise.all([page.waitForURL(/search\/\?q=/), page.press("#site-search-q", "Enter")]);
await page.waitForSelector("#search-results li a");
found = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
check("header search box leads to results", found[0] === "Sở Y tế", JSON.stringify(found));

// Compare: a shared address shows only the agencies it names.
await page.goto(url("compare/?a=so-ngoai-vu&a=so-y-te&a=nope"), { waitUntil: "load" });
const visible = () => page.$$eval(".compare-table", (ts) => ts.map((t) =>
  Array.from(t.tBodies[0].rows).filter((r) => !r.hidden).map((r) => r.dataset.agency)));
let rows = await visible();
check("compare shows the named agencies in every table",
  rows.length === 4 && rows.every((r) => r.join() === "so-ngoai-vu,so-y-te"), JSON.stringify(rows));
check("a shared comparison folds the list of agencies", !(await page.$eval("#compare-picker", (d) => d.open)));
await page.click("#compare-picker > summary");
await page.check("#pick-so-tu-phap");
rows = await visible();
check("ticking an agency adds it", rows.every((r) => r.join() === "so-ngoai-vu,so-y-te,so-tu-phap"), JSON.stringify(rows));
check("the language switch keeps the picked agencies",
  (await page.getAttribute(".langs a[hreflang=en]", "href")).endsWith("/en/compare/?a=so-ngoai-vu&a=so-y-te&a=so-tu-phap"),
  await page.getAttribute(".langs a[hreflang=en]", "href"));
check("the address names the picked agencies",
  new URL(page.url()).searchParams.getAll("a").join() === "so-ngoai-vu,so-y-te,so-tu-phap", page.url());
await page.goto(url("compare/?a=so-noi-vu&a=so-tu-phap&a=so-ngoai-vu&a=so-tai-chinh&a=so-y-te"));
check("at most five: the other boxes are disabled", await page.isDisabled("#pick-so-cong-thuong"));
await page.goto(url("compare/"));
rows = await visible();
check("compare without a choice shows every agency", rows[0].length >= 20, JSON.stringify(rows[0].length));

// Filter and sort a year's ranking.
await page.goto(url("years/2023/"));
const table = page.locator("table.filterable").first();
await page.locator(".table-filter input").first().fill("so y te");
const names = await table.evaluate((t) => Array.from(t.tBodies[0].rows).filter((r) => !r.hidden)
  .map((r) => r.querySelector("th").textContent));
check("filtering 'so y te' keeps Sở Y tế", names.length === 1 && names[0] === "Sở Y tế", JSON.stringify(names));
await page.locator(".table-filter input").first().fill("");
await table.locator("thead th button").first().click();
check("a header button sorts", (await table.locator("thead th").first().getAttribute("aria-sort")) === "ascending");
// A linked rate heading sorts with its own button, by the plain numbers.
const rateButton = table.locator("thead th button.sort-only").first();
await rateButton.click();
await rateButton.click();
const col = await rateButton.evaluate((b) => b.closest("th").cellIndex);
const values = await table.evaluate((t, c) => Array.from(t.tBodies[0].rows)
  .map((r) => r.cells[c].getAttribute("data-sort")).filter((v) => v !== "" && v !== null).map(Number), col);
check("a rate column sorts from the highest down", values.length > 5 && values.every((v, i) => i === 0 || values[i - 1] >= v),
  JSON.stringify(values));

// Without JavaScript: the compare page lists everything, with a form.
const nojs = await browser.newContext({ javaScriptEnabled: false });
const p2 = await nojs.newPage();
await p2.goto(url("compare/?a=so-ngoai-vu&a=so-y-te"));
const all = await p2.$$eval(".compare-table", (ts) => ts.map((t) => t.tBodies[0].rows.length));
check("without JavaScript the compare page shows every agency", all.every((n) => n >= 20), JSON.stringify(all));
check("without JavaScript the compare page has a form", (await p2.$$("#compare-form input[type=checkbox]")).length >= 20);
await p2.goto(url("search/?q=so+ngoai+vu"));
const listing = await p2.$$eval("#search-all a", (as) => as.map((a) => a.textContent));
check("without JavaScript the search page lists every page", listing.includes("Sở Ngoại vụ"), String(listing.length));
await nojs.close();

await browser.close();
console.log(`behaviour: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
