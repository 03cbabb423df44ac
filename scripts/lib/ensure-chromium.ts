// Makes sure Debian's Chromium is installed before `npm test` (package.json's `pretest`): the docs
// page test (tests/node/docs-page.test.ts) drives it. Present: silent. Missing, as root (CI, and
// these machines): `apt-get install -y --no-install-recommends chromium fonts-liberation`,
// refreshing the package lists first when they do not know chromium (and once more if the
// install fails with old lists), each step bounded by a timeout. Missing, not root: prints the
// command to run and fails. Playwright's own browser download is not used: it needs a host the
// build machines cannot reach.
import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

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

/** Runs a command with its output shown; true when it exited 0 within the time limit. */
function run(command: string, args: string[], timeoutMs: number): boolean {
  say(`$ ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.error) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    say(timedOut ? `${command} did not finish within ${timeoutMs / MINUTE} min; stopped it` : `${command} could not run: ${result.error.message}`);
    return false;
  }
  if (result.status !== 0) say(`${command} failed (${result.signal ?? `exit code ${result.status}`}) after ${seconds} s`);
  return result.status === 0;
}

/** Whether apt's package lists have an installable chromium. */
function aptKnowsChromium(): boolean {
  const policy = spawnSync("apt-cache", ["policy", "chromium"], { encoding: "utf8", timeout: MINUTE });
  return policy.status === 0 && /Candidate: (?!\(none\))\S+/.test(policy.stdout);
}

// Waits for another apt/dpkg run to finish (up to 2 minutes) instead of failing on its lock.
const APT = ["-o", "DPkg::Lock::Timeout=120"];
const update = () => run("apt-get", [...APT, "update"], 5 * MINUTE);
const install = () => run("apt-get", [...APT, "install", "-y", "--no-install-recommends", ...CHROMIUM_PACKAGES], 15 * MINUTE);

/** Returns when Chromium is there (installing it as root); throws a message saying what to do. */
export function ensureChromium(path = CHROMIUM): void {
  if (chromiumInstalled(path)) return;
  const why = `${path} is missing; the docs page test (tests/node/docs-page.test.ts) drives Debian's Chromium`;
  if (process.platform !== "linux" || spawnSync("apt-get", ["--version"], { timeout: MINUTE }).status !== 0) {
    throw new Error(`${why}. This machine has no apt-get: install Chromium so that ${path} exists`);
  }
  if (process.getuid?.() !== 0) throw new Error(`${why}. Install it as root, then run the tests again:\n  sudo ${INSTALL_CHROMIUM}`);
  say(`${why}; installing it with apt-get (a few minutes)…`);
  let updated = false;
  if (!aptKnowsChromium()) {
    say("the package lists do not know chromium yet: refreshing them");
    if (!update()) throw new Error(`apt-get update failed; fix the error above, then: ${INSTALL_CHROMIUM}`);
    updated = true;
  }
  let installed = install();
  if (!installed && !updated) {
    say("the install failed with the old package lists: refreshing them and trying once more");
    installed = update() && install();
  }
  if (!installed) throw new Error(`installing Chromium failed; fix the error above, then: ${INSTALL_CHROMIUM}`);
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
