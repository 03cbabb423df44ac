// Where the local stack keeps its state: all under .data/ (gitignored), and the ports it uses.
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const dataDir = `${repoRoot}.data`;
export const postgresDir = `${dataDir}/postgres`;
export const devSecretFile = `${dataDir}/dev-secret`;
/** The running dev stack: its pid, URLs and ports (written once it is up, removed when it stops). */
export const stackFile = `${dataDir}/stack.json`;
/** Ports the dev stack fell back to, kept for the next start. */
export const portsFile = `${dataDir}/ports.json`;
export const DEV_DATABASE = "office";
export const DEV_API_PASSWORD = "office_api_dev";
/** Defaults; `API_PORT` and `DB_PORT` choose others (README). */
export const DEV_POSTGRES_PORT = 54329;
export const DEV_API_PORT = 8787;
