// `npm run usage:flush`: copies the dev stack's usage counters into Postgres now (the dev stack
// also does it every minute; production hourly). It publishes the usage-flush job to the local
// QStash, which delivers it signed to the API like any scheduled run, and waits for the outcome.
import { Client } from "@upstash/qstash";
import { devUpstashSecrets } from "./lib/dev-secret.ts";
import { runningStack } from "./lib/local-postgres.ts";

const stack = await runningStack();
if (!stack?.qstashUrl) {
  console.error("no running dev stack: start it with `npm run dev`, then run this again");
  process.exit(1);
}
const { qstashToken } = await devUpstashSecrets();
const client = new Client({ baseUrl: stack.qstashUrl, token: qstashToken });
const { messageId } = await client.publishJSON({ url: `${stack.api}/hooks/qstash/usage-flush`, body: {}, retries: 0 });
const deadline = Date.now() + 30_000;
while (Date.now() < deadline) {
  const res = await fetch(`${stack.qstashUrl}/v2/events`, { headers: { authorization: `Bearer ${qstashToken}` } });
  const { events } = (await res.json()) as { events: { messageId: string; state: string; responseStatus?: number; error?: string }[] };
  const outcome = events.find((e) => e.messageId === messageId && ["DELIVERED", "FAILED"].includes(e.state));
  if (outcome) {
    if (outcome.state === "DELIVERED") {
      console.log(`usage flushed (message ${messageId})`);
      process.exit(0);
    }
    console.error(`the usage flush failed: HTTP ${outcome.responseStatus ?? "?"} ${outcome.error ?? ""}`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 250));
}
console.error(`no delivery of message ${messageId} within 30 s; is the API running at ${stack.api}?`);
process.exit(1);
