// `npm run dev`: the whole local stack in one command: embedded Postgres (data in .data/),
// bootstrap + migrations + seed, the Upstash stand-ins (Redis REST over a real redis-server,
// QStash with its schedules), then `wrangler dev` for the API, and ready-to-paste curl lines
// with tokens for the seeded people. Ctrl-C stops everything.
import { writeFile } from "node:fs/promises";
import { devSecret, devUpstashSecrets } from "./lib/dev-secret.ts";
import { mintDevToken } from "./lib/dev-token.ts";
import { startDevPostgres } from "./lib/local-postgres.ts";
import { apiUrl, createDatabase, migrate } from "./lib/migrate.ts";
import { DEV_API_PASSWORD, DEV_API_PORT, DEV_DATABASE, stackFile } from "./lib/paths.ts";
import { vendorAssets } from "./lib/vendor-assets.ts";
import { startWrangler, waitForHealthy } from "./lib/wrangler.ts";
import { freePort } from "./lib/ports.ts";
import { syncSchedules } from "./lib/schedules.ts";
import { startUpstashStack } from "./lib/upstash-stack.ts";
import { dataDir } from "./lib/paths.ts";

const say = (msg: string) => console.log(`[dev] ${msg}`);
const stops: (() => Promise<unknown> | void)[] = [];
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  await vendorAssets();
  say("starting Postgres (embedded, data in .data/postgres)…");
  const pg = await startDevPostgres();
  stops.push(() => pg.stop());
  await createDatabase(pg.adminUrl(), DEV_DATABASE);
  await migrate(pg.adminUrl(DEV_DATABASE), { seed: true, apiPassword: DEV_API_PASSWORD, log: (m) => say(m) });
  const secret = await devSecret();
  say("starting the Upstash stand-ins (Redis REST bridge, QStash)…");
  const upstash = await startUpstashStack({
    secrets: await devUpstashSecrets(),
    redisRestPort: await freePort(),
    qstashPort: await freePort(),
    qstashStateFile: `${dataDir}/qstash.json`,
  });
  stops.push(() => upstash.stop());
  await writeFile(stackFile, JSON.stringify({ adminUrl: pg.adminUrl(DEV_DATABASE), apiPort: DEV_API_PORT }, null, 2));

  say("starting the API (wrangler dev)…");
  const wrangler = startWrangler({
    port: DEV_API_PORT,
    connectionString: apiUrl(pg.adminUrl(DEV_DATABASE), DEV_API_PASSWORD),
    vars: { AUTH_DEV_SECRET: secret, ...upstash.bindings, PUBLIC_API_URL: `http://127.0.0.1:${DEV_API_PORT}` },
    inspectorPort: await freePort(),
  });
  stops.push(() => {
    wrangler.kill("SIGTERM");
  });
  wrangler.on("exit", (code) => {
    if (!stopping) {
      say(`wrangler exited (${code}); stopping`);
      void stopAll(code ?? 1);
    }
  });
  const base = `http://127.0.0.1:${DEV_API_PORT}`;
  await waitForHealthy(base, 90_000, wrangler);
  for (const line of await syncSchedules({ qstashUrl: upstash.qstashUrl, token: upstash.qstashToken, publicApiUrl: base })) say(`schedule ${line}`);

  const people = ["olivia.owner@acme.test", "max.manager@acme.test", "eve.sales@acme.test", "carl.customer@acme.test", "grace.owner@globex.test"];
  const tokens = await Promise.all(people.map((email) => mintDevToken(pg.adminUrl(DEV_DATABASE), email, secret)));
  const owner = tokens[0]!.token;
  console.log(`
AI Office API is running at ${base}
  API reference:  ${base}/docs        OpenAPI: ${base}/openapi.json
  Postgres:       ${pg.adminUrl(DEV_DATABASE)} (owner; the API connects as office_api)
  Upstash Redis:  ${upstash.redisRestUrl} (REST stand-in)   QStash: ${upstash.qstashUrl} (stand-in)

Tokens for seeded people (valid 15 minutes; new ones: npm run token -- <email>):
${people.map((email, i) => `  ${email.padEnd(26)} ${tokens[i]!.token}`).join("\n")}

Try:
  curl -s ${base}/healthz
  curl -s ${base}/v1/me -H "Authorization: Bearer ${owner}"
  curl -s ${base}/v1/members -H "Authorization: Bearer ${owner}"
  curl -s -X PATCH ${base}/v1/me/settings -H "Authorization: Bearer ${owner}" -H "Content-Type: application/json" -d '{"timezone":"Europe/Paris"}'

Ctrl-C stops the stack.`);
} catch (e) {
  console.error(`[dev] failed: ${(e as Error).message}`);
  await stopAll(1);
}
