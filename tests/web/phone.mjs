// The rules for phones, checked in headless Chromium at 360 × 740 px on
// every kind of page, with and without JavaScript:
//   - nothing scrolls sideways (only a table inside its own frame may);
//   - every chart shown fits the screen, its text at least 11 px;
//   - every button, text box, check box and summary is at least 24 × 24 px;
//   - in a table that scrolls, the row headings (agency names) stay put;
//   - no page has more than 3,000 elements.
//
//   node phone.mjs BASE_URL PATH...   (paths from the site's root)
import { launchChromium } from "./browser.mjs";

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error("usage: node phone.mjs BASE_URL PATH...");
  process.exit(2);
}
const browser = await launchChromium();
let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1;
  else failed += 1;
  if (!ok) console.log(`FAIL ${name} — ${detail}`);
}
// The phone drawing is laid out this many units wide, with text of 12.5
// units at the least (src/charts/mod.rs NARROW_WIDTH, canvas SMALL_PX).
const PHONE_UNITS = 360;
const SMALLEST_TEXT = 12.5;

async function inspect(page) {
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden";
    };
    // What sticks out of the page, outside a scrolling frame.
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      if (!visible(el) || el.closest(".table-wrap, .sr-only")) continue;
      const r = el.getBoundingClientRect();
      if (r.right > vw + 0.5) {
        wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)}`);
      }
    }
    const charts = [];
    for (const img of document.querySelectorAll("img.chart-phone")) {
      if (!visible(img)) continue;
      const r = img.getBoundingClientRect();
      charts.push({ src: img.getAttribute("src"), left: r.left, right: r.right, width: r.width, loaded: img.naturalWidth > 0 });
    }
    const inlineShown = Array.from(document.querySelectorAll(".chart-svg svg")).filter(visible).length;
    const small = [];
    for (const el of document.querySelectorAll("button, input:not([type=hidden]), select, summary")) {
      if (!visible(el) || el.closest(".sr-only")) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 23.5 || r.height < 23.5) {
        small.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    const unstuck = [];
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      if (wrap.scrollWidth <= wrap.clientWidth || !visible(wrap)) continue;
      const th = wrap.querySelector("tbody th[scope=row]");
      if (th && getComputedStyle(th).position !== "sticky") unstuck.push(th.textContent.trim().slice(0, 30));
    }
    return {
      overflow: document.documentElement.scrollWidth - vw,
      wide: wide.slice(0, 5),
      charts,
      inlineShown,
      small: small.slice(0, 5),
      unstuck: unstuck.slice(0, 5),
      elements: document.getElementsByTagName("*").length,
      vw,
    };
  });
}

for (const js of [true, false]) {
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, javaScriptEnabled: js, isMobile: true, hasTouch: true,
  });
  const page = await ctx.newPage();
  for (const path of paths) {
    const where = `${path || "/"}${js ? "" : " (no JS)"}`;
    await page.goto(new URL(path, base).href, { waitUntil: "networkidle" });
    // Lazy images load when scrolled to: bring each chart into view.
    await page.evaluate(async () => {
      const imgs = Array.from(document.querySelectorAll("img.chart-phone"));
      for (const img of imgs) img.loading = "eager";
      await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
    });
    const r = await inspect(page);
    check(`${where}: nothing scrolls sideways`, r.overflow <= 0 && r.wide.length === 0,
      `${r.overflow}px wider; ${r.wide.join(", ")}`);
    check(`${where}: no wide chart drawing on a phone`, r.inlineShown === 0, `${r.inlineShown} shown`);
    for (const c of r.charts) {
      const px = (SMALLEST_TEXT * c.width) / PHONE_UNITS;
      check(`${where}: chart ${c.src} fits with text >= 11 px`,
        c.left >= 0 && c.right <= r.vw && px >= 11 && c.loaded,
        `left ${c.left} right ${c.right}, text ${px.toFixed(1)} px, loaded ${c.loaded}`);
    }
    check(`${where}: controls at least 24 × 24 px`, r.small.length === 0, r.small.join("; "));
    check(`${where}: row headings stay in view`, r.unstuck.length === 0, r.unstuck.join("; "));
    check(`${where}: at most 3,000 elements`, r.elements <= 3000, `${r.elements}`);
    console.log(`${where}: ${r.elements} elements, ${r.charts.length} charts`);
  }
  await ctx.close();
}
await browser.close();
console.log(`phone: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
