import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
const axeSource = readFileSync("node_modules/axe-core/axe.min.js","utf8");
const b = await chromium.launch({executablePath:"/usr/bin/chromium", args:["--no-sandbox","--disable-gpu"]});
const p = await b.newPage();
for (const u of ["", "agencies/so-y-te/", "years/2023/", "indicators/dvctt_uptake/", "indicators/has_cio/", "data/"]) {
  let t=Date.now(); await p.goto("http://127.0.0.1:8765/"+u, {waitUntil:"load"}); const t1=Date.now()-t;
  await p.evaluate(axeSource);
  t=Date.now();
  const r = await p.evaluate(async () => { const r = await axe.run(document, {runOnly:{type:"tag",values:["wcag2a","wcag2aa","wcag21a","wcag21aa"]}, resultTypes:["violations"], performanceTimer:false}); return r.violations.length; });
  const n = await p.evaluate(() => document.getElementsByTagName("*").length);
  console.log(u, "load", t1, "axe", Date.now()-t, "elements", n);
}
await b.close();
