// Installs Debian packages that `npm test` needs from the system (Chromium for the docs page test,
// pgbouncer for pooled connections), as root only: refreshing the package lists first when they
// do not know a package (and once more if the install fails with old lists), each step bounded by
// a timeout and waiting for another apt run's lock instead of failing on it.
import { spawnSync } from "node:child_process";

const MINUTE = 60_000;
const APT = ["-o", "DPkg::Lock::Timeout=120"];

export const canApt = () => process.platform === "linux" && spawnSync("apt-get", ["--version"], { timeout: MINUTE }).status === 0;
export const isRoot = () => process.getuid?.() === 0;

/** Runs a command with its output shown; true when it exited 0 within the time limit. */
function run(say: (msg: string) => void, command: string, args: string[], timeoutMs: number): boolean {
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

/** Whether apt's package lists have an installable `name`. */
function aptKnows(name: string): boolean {
  const policy = spawnSync("apt-cache", ["policy", name], { encoding: "utf8", timeout: MINUTE });
  return policy.status === 0 && /Candidate: (?!\(none\))\S+/.test(policy.stdout);
}

/** apt-get install (as root); throws saying what failed and the command to run by hand. */
export function aptInstall(packages: string[], say: (msg: string) => void): void {
  const command = `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  const update = () => run(say, "apt-get", [...APT, "update"], 5 * MINUTE);
  const install = () => run(say, "apt-get", [...APT, "install", "-y", "--no-install-recommends", ...packages], 15 * MINUTE);
  let updated = false;
  if (!packages.every(aptKnows)) {
    say(`the package lists do not know ${packages.join(", ")} yet: refreshing them`);
    if (!update()) throw new Error(`apt-get update failed; fix the error above, then: ${command}`);
    updated = true;
  }
  let installed = install();
  if (!installed && !updated) {
    say("the install failed with the old package lists: refreshing them and trying once more");
    installed = update() && install();
  }
  if (!installed) throw new Error(`installing ${packages.join(", ")} failed; fix the error above, then: ${command}`);
}
