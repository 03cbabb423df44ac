// Makes sure Debian's Chromium is installed before `npm test` (package.json's `pretest`): the docs
// page test (tests/node/docs-page.test.ts) drives it. Present: silent. Missing, as root (CI, and
// these machines): `apt-get install -y --no-install-recommends chromium fonts-liberation` (see
// apt.ts). Missing, not root: prints the command to run and fails. Playwright's own browser download is not used: it needs a host the
// build machines cannot reach.
import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { aptInstall, canApt, isRoot } from "./apt.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_PACKAGES = ["chromium", "fonts-liberation"];
export const INSTALL_CHROMIUM = `apt-get install -y --no-install-recommends ${CHROMIUM_PACKAGES.join(" ")}`;

const MINUTE = 60_000;
const say = (msg: string) => console.log(`[chromium] ${msg}`);

export function chromiumInstalled(path = CHROMIUM): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns when Chromium is there (installing it as root); throws a message saying what to do. */
export function ensureChromium(path = CHROMIUM): void {
  if (chromiumInstalled(path)) return;
  const why = `${path} is missing; the docs page test (tests/node/docs-page.test.ts) drives Debian's Chromium`;
  if (!canApt()) throw new Error(`${why}. This machine has no apt-get: install Chromium so that ${path} exists`);
  if (!isRoot()) throw new Error(`${why}. Install it as root, then run the tests again:\n  sudo ${INSTALL_CHROMIUM}`);
  say(`${why}; installing it with apt-get (a few minutes)…`);
  aptInstall(CHROMIUM_PACKAGES, say);
  if (!chromiumInstalled(path)) throw new Error(`apt-get installed ${CHROMIUM_PACKAGES.join(", ")} but ${path} is still missing`);
  say(`installed: ${spawnSync(path, ["--version"], { encoding: "utf8", timeout: MINUTE }).stdout?.trim() || path}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureChromium();
  } catch (e) {
    console.error(`[chromium] ${(e as Error).message}`);
    process.exit(1);
  }
}
