// Where the local stack keeps its state: all under .data/ (gitignored).
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const dataDir = `${repoRoot}.data`;
export const postgresDir = `${dataDir}/postgres`;
export const devSecretFile = `${dataDir}/dev-secret`;
export const stackFile = `${dataDir}/stack.json`;
export const DEV_DATABASE = "office";
export const DEV_API_PASSWORD = "office_api_dev";
export const DEV_POSTGRES_PORT = 54329;
export const DEV_API_PORT = 8787;
