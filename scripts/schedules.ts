// `npm run schedules`: creates or updates the QStash schedules (deploy step). Reads QSTASH_TOKEN,
// PUBLIC_API_URL and optionally QSTASH_URL (default: Upstash's) from the environment.
import { syncSchedules } from "./lib/schedules.ts";

const { QSTASH_TOKEN, PUBLIC_API_URL, QSTASH_URL = "https://qstash.upstash.io" } = process.env;
if (!QSTASH_TOKEN || !PUBLIC_API_URL) {
  console.error("set QSTASH_TOKEN and PUBLIC_API_URL (and QSTASH_URL for a non-default region)");
  process.exit(2);
}
for (const line of await syncSchedules({ qstashUrl: QSTASH_URL, token: QSTASH_TOKEN, publicApiUrl: PUBLIC_API_URL })) console.log(`schedule ${line}`);
