// `npm run token -- <email>`: prints a 15-minute dev access token for a seeded (or any) user,
// with the claims Supabase's custom access token hook would add (the active tenant and role).
import { devSecret } from "./lib/dev-secret.ts";
import { mintDevToken } from "./lib/dev-token.ts";
import { runningStack, startDevPostgres } from "./lib/local-postgres.ts";
import { DEV_DATABASE } from "./lib/paths.ts";

const email = process.argv[2];
if (!email) {
  console.error("usage: npm run token -- <email>   (e.g. olivia.owner@acme.test; see supabase/seed.sql)");
  process.exit(2);
}
let adminUrl = (await runningStack())?.adminUrl;
let stop: (() => Promise<void>) | undefined;
if (!adminUrl) {
  const pg = await startDevPostgres((m) => console.error(`[token] ${m}`)).catch((e: Error) => {
    console.error(`no running dev stack and the local database could not start: ${e.message}\nrun: npm run dev`);
    process.exit(1);
  });
  adminUrl = pg.adminUrl(DEV_DATABASE);
  stop = () => pg.stop();
}
try {
  const { token, claims } = await mintDevToken(adminUrl, email, await devSecret());
  console.error(`claims: ${JSON.stringify(claims)}`);
  console.log(token);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
} finally {
  await stop?.();
}
