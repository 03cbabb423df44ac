// `npm run db:reset`: drops and rebuilds the dev database (bootstrap, migrations, seed). Works
// whether or not `npm run dev` is running.
import { createDatabase, dropDatabase, migrate } from "./lib/migrate.ts";
import { runningStackAdminUrl, startDevPostgres } from "./lib/local-postgres.ts";
import { DEV_API_PASSWORD, DEV_DATABASE } from "./lib/paths.ts";

const running = await runningStackAdminUrl();
const pg = running ? undefined : await startDevPostgres();
const serverUrl = running ? running.replace(/\/[^/]*$/, "/postgres") : pg!.adminUrl();
const databaseUrl = running ?? pg!.adminUrl(DEV_DATABASE);
try {
  await dropDatabase(serverUrl, DEV_DATABASE);
  await createDatabase(serverUrl, DEV_DATABASE);
  await migrate(databaseUrl, { seed: true, apiPassword: DEV_API_PASSWORD, log: (m) => console.log(`[db:reset] ${m}`) });
  console.log("[db:reset] the dev database was rebuilt");
} finally {
  await pg?.stop();
}
