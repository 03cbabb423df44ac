// `npm run dev`: the whole local stack in one command: embedded Postgres (data in .data/),
// bootstrap + migrations + seed, the Upstash stand-ins (Redis REST over a real redis-server,
// QStash with its schedules), the Supabase Auth stand-in (invitation emails land in its outbox
// and are printed here), then `wrangler dev` for the API, and ready-to-paste curl lines with
// tokens for the seeded people. Ctrl-C (or closing the terminal) stops everything.
import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { devAuthSecrets, devLlmSecrets, devSecret, devUpstashSecrets } from "./lib/dev-secret.ts";
import { mintDevToken } from "./lib/dev-token.ts";
import { isStopping, onStop, ownChildren, stopAll } from "./lib/lifecycle.ts";
import { readStack, startDevPostgres } from "./lib/local-postgres.ts";
import { alive } from "./lib/postgres/lock.ts";
import { apiUrl, migrate, prepareDatabase } from "./lib/migrate.ts";
import { DEV_API_PASSWORD, DEV_API_PORT, DEV_DATABASE, dataDir, stackFile } from "./lib/paths.ts";
import { freePort, portFree, portFromEnv } from "./lib/ports.ts";
import { syncSchedules } from "./lib/schedules.ts";
import { startUpstashStack } from "./lib/upstash-stack.ts";
import { vendorAssets } from "./lib/vendor-assets.ts";
import { startLlmStandIn, STAND_IN_MODEL } from "./llm-stand-in/server.ts";
import { startOutboundSink } from "./outbound-sink/server.ts";
import { startAuthStandIn, type AuthMessage } from "./supabase-auth/server.ts";
import { startWrangler, waitForHealthy } from "./lib/wrangler.ts";

const say = (msg: string) => console.log(`[dev] ${msg}`);
ownChildren();


try {
  const previous = await readStack().catch(() => null);
  if (previous && previous.pid !== process.pid && alive(previous.pid)) {
    throw new Error(`the dev stack already runs (pid ${previous.pid}) at ${previous.api}; stop it with Ctrl-C in its terminal, or: kill ${previous.pid}`);
  }
  const apiPort = portFromEnv("API_PORT") ?? DEV_API_PORT;
  if (!(await portFree(apiPort))) {
    throw new Error(`port ${apiPort} for the API is in use by another program; choose another: API_PORT=${await freePort()} npm run dev`);
  }
  await vendorAssets();
  say("starting Postgres (embedded)…");
  const pg = await startDevPostgres(say);
  onStop(() => pg.stop());
  say(`Postgres is up on port ${pg.port} (data in ${pg.dataDir})`);
  await prepareDatabase(pg, DEV_DATABASE);
  await migrate(pg.adminUrl(DEV_DATABASE), { seed: true, apiPassword: DEV_API_PASSWORD, log: say });
  const secret = await devSecret();
  say("starting the Upstash stand-ins (Redis REST bridge, QStash)…");
  const upstash = await startUpstashStack({
    secrets: await devUpstashSecrets(),
    redisRestPort: await freePort(),
    qstashPort: await freePort(),
    qstashStateFile: `${dataDir}/qstash.json`,
  });
  onStop(() => upstash.stop());

  const base = `http://127.0.0.1:${apiPort}`;
  const authSecrets = await devAuthSecrets();
  say("starting the Supabase Auth stand-in (invitation emails go to its outbox, printed here)…");
  const auth = await startAuthStandIn({
    databaseUrl: pg.adminUrl(DEV_DATABASE),
    secretKey: authSecrets.supabaseSecretKey,
    port: await freePort(),
    outboxFile: `${dataDir}/auth-outbox.jsonl`,
    onMessage: (m) => console.log(invitationMail(m, base)),
  });
  onStop(() => auth.stop());
  say("starting the outbound sink (reminder emails and Telegram messages are stored in Postgres, not sent)…");
  const sink = await startOutboundSink({
    databaseUrl: pg.adminUrl(DEV_DATABASE),
    resendApiKey: authSecrets.resendApiKey,
    telegramBotToken: authSecrets.telegramBotToken,
    port: await freePort(),
    onMessage: (m) => say(`outbound ${m.channel} to ${m.recipient}: ${m.subject ?? m.body.split("\n", 1)[0]}`),
  });
  onStop(() => sink.stop());
  say("starting the LLM stand-in (an OpenAI-compatible chat API with deterministic answers; no model is called)…");
  const llmSecrets = await devLlmSecrets();
  const llm = await startLlmStandIn({ ...llmSecrets, port: await freePort() });
  onStop(() => llm.stop());
  say("starting the API (wrangler dev)…");
  const wrangler = startWrangler({
    port: apiPort,
    connectionString: apiUrl(pg.adminUrl(DEV_DATABASE), DEV_API_PASSWORD),
    vars: {
      AUTH_DEV_SECRET: secret,
      ...upstash.bindings,
      PUBLIC_API_URL: base,
      SUPABASE_URL: auth.url,
      SUPABASE_SECRET_KEY: authSecrets.supabaseSecretKey,
      INVITATION_SECRET: authSecrets.invitationSecret,
      RESEND_BASE_URL: sink.url,
      RESEND_API_KEY: authSecrets.resendApiKey,
      TELEGRAM_API_URL: sink.url,
      TELEGRAM_BOT_TOKEN: authSecrets.telegramBotToken,
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: llmSecrets.apiKey,
      LLM_MODEL: STAND_IN_MODEL,
      // Stable across restarts (derived from the persisted dev secrets), so webhook senders keep working.
      WORKFLOW_WEBHOOK_SECRET: createHash("sha256").update(`workflow-webhook:${authSecrets.invitationSecret}`).digest("base64url"),
      // Likewise stable, so secrets encrypted by an earlier run still decrypt.
      WEBHOOK_SECRET_KEYS: `dev1:${createHash("sha256").update(`webhook-secret-key:${authSecrets.invitationSecret}`).digest("base64url")}`,
      NOTIFICATION_VERIFY_SECRET: createHash("sha256").update(`notification-verify:${authSecrets.invitationSecret}`).digest("base64url"),
    },
    inspectorPort: await freePort(),
  });
  onStop(async () => {
    if (wrangler.exitCode !== null || wrangler.signalCode !== null) return;
    const exited = new Promise((resolve) => wrangler.once("exit", resolve));
    wrangler.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill("SIGKILL");
  });
  wrangler.on("exit", (code, signal) => {
    if (!isStopping()) {
      say(`wrangler exited (${signal ?? code}); stopping`);
      void stopAll(code ?? 1);
    }
  });
  await waitForHealthy(base, 90_000, wrangler);
  await writeFile(stackFile, JSON.stringify({ pid: process.pid, api: base, adminUrl: pg.adminUrl(DEV_DATABASE), superuserUrl: pg.superuserUrl(), qstashUrl: upstash.qstashUrl, redisRestUrl: upstash.redisRestUrl, supabaseUrl: auth.url, sinkUrl: sink.url, llmUrl: llm.url }, null, 2));
  onStop(() => rm(stackFile, { force: true }));
  for (const line of await syncSchedules({ qstashUrl: upstash.qstashUrl, token: upstash.qstashToken, publicApiUrl: base, dev: true })) say(`schedule ${line}`);

  const people = ["olivia.owner@acme.test", "max.manager@acme.test", "eve.sales@acme.test", "carl.customer@acme.test", "grace.owner@globex.test"];
  const tokens = await Promise.all(people.map((email) => mintDevToken(pg.adminUrl(DEV_DATABASE), email, secret)));
  const owner = tokens[0]!.token;
  console.log(`
AI Office API is running at ${base}
  API reference:  ${base}/docs        OpenAPI: ${base}/openapi.json
  Postgres:       ${pg.adminUrl(DEV_DATABASE)} (project owner, not a superuser; the API connects as office_api)
  Upstash Redis:  ${upstash.redisRestUrl} (REST stand-in)   QStash: ${upstash.qstashUrl} (stand-in)
  Supabase Auth:  ${auth.url} (stand-in: invitation emails are printed here, within a minute)
  Outbound sink:  ${sink.url} (Resend + Telegram stand-in; reminders land here, in schema outbound_sink)
                  curl -s ${sink.url}/messages -H "Authorization: Bearer ${authSecrets.resendApiKey}"
  LLM stand-in:   ${llm.baseUrl} (OpenAI-compatible, model ${STAND_IN_MODEL}; deterministic answers, scriptable)
                  curl -s ${llm.baseUrl}/chat/completions -H "Authorization: Bearer ${llmSecrets.apiKey}" -H "Content-Type: application/json" -d '{"model":"${STAND_IN_MODEL}","messages":[{"role":"user","content":"Anna called about her invoice. She wants a refund."}]}'
                  requests it received: curl -s ${llm.url}/control/requests -H "Authorization: Bearer ${llmSecrets.controlKey}"

Tokens for seeded people (valid 15 minutes; new ones: npm run token -- <email>):
${people.map((email, i) => `  ${email.padEnd(26)} ${tokens[i]!.token}`).join("\n")}

Try:
  curl -s ${base}/healthz
  curl -s ${base}/v1/me -H "Authorization: Bearer ${owner}"
  curl -s ${base}/v1/members -H "Authorization: Bearer ${owner}"
  curl -s -X PATCH ${base}/v1/me/settings -H "Authorization: Bearer ${owner}" -H "Content-Type: application/json" -d '{"timezone":"Europe/Paris"}'
  curl -s -X POST ${base}/v1/members/invitations -H "Authorization: Bearer ${owner}" -H "Content-Type: application/json" -d '{"email":"new.hire@acme.test","role":"employee"}'

Ctrl-C stops the stack (so does closing this terminal).`);
} catch (e) {
  console.error(`[dev] failed: ${(e as Error).message}`);
  await stopAll(1);
}

/** An invitation email as the dev stack prints it: who, which business, and how to accept. */
function invitationMail(m: AuthMessage, base: string): string {
  const token = new URL(m.redirectTo ?? base).searchParams.get("invitation_token") ?? "(no invitation_token in the link)";
  const business = typeof m.data.tenant_name === "string" ? ` to ${m.data.tenant_name} as ${String(m.data.role)}` : "";
  return `
[dev] ✉ ${m.kind === "invite" ? "invitation" : "sign-in link"} for ${m.to}${business} (Supabase Auth outbox): ${m.redirectTo ?? ""}
      accept it as ${m.to}:
        T=$(npm run token -- ${m.to})
        curl -s -X POST ${base}/v1/invitations/accept -H "Authorization: Bearer $T" -H "Content-Type: application/json" -d '{"token":"${token}"}'
`;
}
