// Screenshots of the main pages at phone and desktop widths, for people to
// look at: node screenshots.mjs BASE_URL OUT_DIR [MAX_HEIGHT]
import { mkdirSync } from "node:fs";
import { launchChromium } from "./browser.mjs";

const [base, outDir, maxHeight = "2400"] = process.argv.slice(2);
if (!base || !outDir) {
  console.error("usage: node screenshots.mjs BASE_URL OUT_DIR [MAX_HEIGHT]");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const pages = {
  overview: "",
  agency: "agencies/so-ngoai-vu/",
  year: "years/2023/",
  compare: "compare/?a=so-ngoai-vu&a=so-y-te&a=so-tu-phap",
  search: "search/?q=ky+so",
  "en-compare": "en/compare/?a=so-ngoai-vu&a=thanh-pho-mau-son",
};
const browser = await launchChromium();
for (const width of [360, 1280]) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  for (const [name, path] of Object.entries(pages)) {
    await page.goto(new URL(path, base).href, { waitUntil: "networkidle" });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const file = `${outDir}/${name}-${width}.png`;
    await page.screenshot({
      path: file,
      clip: { x: 0, y: 0, width, height: Math.min(height, Number(maxHeight)) },
      fullPage: true,
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    console.log(`${file} (page ${height}px high${overflow > 0 ? `, ${overflow}px wider than the window` : ""})`);
  }
  await ctx.close();
}
await browser.close();
