// Headless Debian chromium as every web check starts it: no sandbox (CI runs
// as root), and none of the background connections this machine's closed
// network would refuse. CHROMIUM names another binary.
import { chromium } from "playwright-core";

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
