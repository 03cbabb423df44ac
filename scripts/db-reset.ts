// `npm run db:reset`: drops and rebuilds the dev database (bootstrap, migrations, seed), and
// clears what referred to its rows: the API's Redis keys and QStash's pending messages and dead
// letters. Works whether or not `npm run dev` is running.
import { clearDevState } from "./lib/dev-state.ts";
import { dropDatabase, migrate, prepareDatabase, type Server } from "./lib/migrate.ts";
import { runningStack, startDevPostgres } from "./lib/local-postgres.ts";
import { DEV_API_PASSWORD, DEV_DATABASE } from "./lib/paths.ts";

const log = (m: string) => console.log(`[db:reset] ${m}`);
const running = await runningStack();
const pg = running ? undefined : await startDevPostgres(log);
const atDb = (url: string) => (database = "postgres") => url.replace(/\/[^/]*$/, `/${database}`);
const server: Server = running ? { adminUrl: atDb(running.adminUrl), superuserUrl: atDb(running.superuserUrl) } : pg!;
try {
  await dropDatabase(server, DEV_DATABASE);
  await prepareDatabase(server, DEV_DATABASE);
  await migrate(server.adminUrl(DEV_DATABASE), { seed: true, apiPassword: DEV_API_PASSWORD, log });
  await clearDevState(running, log);
  log("the dev database was rebuilt");
} finally {
  await pg?.stop();
}
