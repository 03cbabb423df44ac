// Makes sure Debian's pgbouncer is there before `npm test` (package.json's `pretest`): the test
// stack routes the Worker's connections through it, as Hyperdrive pools them in production, which
// makes the request-heavy suites several times faster on two cores. Present: silent. Missing, as
// root (CI): installed with apt-get (apt.ts). Missing, not root: the tests still run, connecting
// directly (slower); this says how to install it.
import { pathToFileURL } from "node:url";
import { aptInstall, canApt, isRoot } from "./apt.ts";
import { findPgbouncer, INSTALL_HINT } from "./pgbouncer.ts";

const say = (msg: string) => console.log(`[pgbouncer] ${msg}`);

export function ensurePgbouncer(): void {
  if (findPgbouncer() || process.env.PGBOUNCER === "none") return;
  if (!canApt() || !isRoot()) {
    say(`not installed: the tests will connect to Postgres directly (slower). To pool as CI does: ${INSTALL_HINT}`);
    return;
  }
  say("not installed; installing it with apt-get…");
  aptInstall(["pgbouncer"], say);
  if (!findPgbouncer()) throw new Error("apt-get installed pgbouncer but no pgbouncer binary was found in /usr/sbin or on PATH");
  // Debian's package starts a system pgbouncer on port 6432; the tests start their own on a free port.
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensurePgbouncer();
  } catch (e) {
    console.error(`[pgbouncer] ${(e as Error).message}`);
    process.exit(1);
  }
}
