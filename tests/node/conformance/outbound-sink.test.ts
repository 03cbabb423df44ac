// The outbound sink speaks Resend's HTTP API as the official `resend` client uses it (auth,
// Idempotency-Key, the response and error shapes it parses) and Telegram's sendMessage, and stores
// what it receives in Postgres (schema outbound_sink). Each test runs its own sink on the test
// database with its own keys.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startOutboundSink, type RunningOutboundSink } from "../../../scripts/outbound-sink/server.ts";

const apiKey = `re_${randomBytes(12).toString("hex")}`;
const botToken = `4242:${randomBytes(12).toString("base64url")}`;
let sink: RunningOutboundSink;
const marker = randomBytes(4).toString("hex");
const to = (name: string) => `${name}-${marker}@example.test`;

const messages = async (recipient: string) => {
  const res = await fetch(`${sink.url}/messages?recipient=${encodeURIComponent(recipient)}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { id: string; channel: string; subject: string | null; body: string; sender: string | null; idempotencyKey: string | null }[] }).data;
};

beforeAll(async () => {
  sink = await startOutboundSink({ databaseUrl: inject("adminUrl"), resendApiKey: apiKey, telegramBotToken: botToken });
});
afterAll(async () => {
  await sink?.stop();
});

describe("outbound sink: Resend's API through the official client", () => {
  const resend = () => new Resend(apiKey, { baseUrl: sink.url });
  const email = (recipient: string, subject = "Hello") => ({ from: "AI Office <reminders@ai-office.localhost>", to: [recipient], subject, text: "It works" });

  it("sends: the client gets {data: {id}} and the sink stores the email", async () => {
    const { data, error } = await resend().emails.send(email(to("a")));
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await messages(to("a"))).toEqual([expect.objectContaining({ id: data!.id, channel: "email", subject: "Hello", body: "It works", sender: "AI Office <reminders@ai-office.localhost>" })]);
  });

  it("the same Idempotency-Key and body: the first email's id again, one email; another body: 409 invalid_idempotent_request", async () => {
    const key = `reminder-${marker}`;
    const first = await resend().emails.send(email(to("b")), { idempotencyKey: key });
    const again = await resend().emails.send(email(to("b")), { idempotencyKey: key });
    expect(again.data?.id).toBe(first.data?.id);
    expect(await messages(to("b"))).toHaveLength(1);
    const other = await resend().emails.send(email(to("b"), "Changed"), { idempotencyKey: key });
    expect(other.data).toBeNull();
    expect(other.error).toMatchObject({ name: "invalid_idempotent_request", statusCode: 409 });
    // Concurrent sends with one key: still one email.
    const key2 = `reminder-2-${marker}`;
    const ids = await Promise.all([1, 2, 3].map(() => resend().emails.send(email(to("c")), { idempotencyKey: key2 })));
    expect(new Set(ids.map((r) => r.data?.id)).size).toBe(1);
    expect(await messages(to("c"))).toHaveLength(1);
  });

  it("refuses a wrong API key (403 invalid_api_key), a missing one (401) and an invalid address (422 validation_error)", async () => {
    const wrong = await new Resend("re_wrong", { baseUrl: sink.url }).emails.send(email(to("d")));
    expect(wrong.error).toMatchObject({ name: "invalid_api_key", statusCode: 403 });
    const missing = await fetch(`${sink.url}/emails`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(email(to("d"))) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ name: "missing_api_key", statusCode: 401 });
    const invalid = await resend().emails.send({ ...email("not-an-address") });
    expect(invalid.error).toMatchObject({ name: "validation_error", statusCode: 422 });
    expect(await messages(to("d"))).toHaveLength(0);
  });
});

describe("outbound sink: Telegram's Bot API", () => {
  const send = (token: string, body: unknown) =>
    fetch(`${sink.url}/bot${token}/sendMessage`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answers sendMessage like the Bot API and stores the message", async () => {
    const chat = `9${Date.now() % 1e8}`;
    const res = await send(botToken, { chat_id: chat, text: "Check-up in 1 h" });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { ok: boolean; result: { message_id: number; chat: { id: number }; text: string; date: number } };
    expect(reply).toMatchObject({ ok: true, result: { chat: { id: Number(chat) }, text: "Check-up in 1 h" } });
    expect(reply.result.message_id).toBeGreaterThan(0);
    expect(await messages(chat)).toEqual([expect.objectContaining({ channel: "telegram", body: "Check-up in 1 h" })]);
  });

  it("refuses a wrong token (401 Unauthorized) and an empty chat or text (400)", async () => {
    expect(await (await send("1:wrong", { chat_id: "1", text: "x" })).json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    expect(await (await send(botToken, { text: "x" })).json()).toEqual({ ok: false, error_code: 400, description: "Bad Request: chat_id is empty" });
    expect(await (await send(botToken, { chat_id: "1", text: " " })).json()).toEqual({ ok: false, error_code: 400, description: "Bad Request: message text is empty" });
  });

  it("keeps /messages to the key holder", async () => {
    expect((await fetch(`${sink.url}/messages`)).status).toBe(401);
    const table = new pg.Client({ connectionString: inject("adminUrl") });
    await table.connect();
    try {
      const { rows } = await table.query("select count(*)::int as n from outbound_sink.messages where recipient like $1", [`%${marker}%`]);
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    } finally {
      await table.end();
    }
  });
});
