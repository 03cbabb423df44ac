// Verified destinations: a custom email address or Telegram chat is pending until its member sends
// back the code the office sent there (once per change, even when QStash delivers the job 3×);
// nothing but that code goes to an unverified address; the code is stored only as a hash, expires,
// allows 5 attempts, and only its own member can use it (another member, another business: 404).
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant, type SeededUser } from "../../support/seed.ts";
import { freshChatId, sinkMessages } from "../../support/sink.ts";
import { outboxRows } from "./support.ts";

type Settings = { email: string | null; effectiveEmail: string; telegramChatId: string | null; verification: { email: string | null; telegram: string | null } };
type JobReply = { result: { outcome: string; channels?: Record<string, string> } };

const freshEmail = () => `inbox-${crypto.randomUUID().slice(0, 8)}@elsewhere.test`;
const body = (over: Record<string, unknown>) => ({ channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours: null, ...over });

async function save(member: SeededUser, over: Record<string, unknown>): Promise<Response> {
  return call("/v1/me/notifications", { method: "PUT", token: await member.token(), body: body(over) });
}

async function verify(member: SeededUser, channel: "email" | "telegram", code: string): Promise<Response> {
  return call("/v1/me/notifications/verify", { token: await member.token(), body: { channel, code } });
}

/** Delivers every queued verification job of the business (each `times` times); the codes the sink got, by recipient. */
async function sendCodes(t: SeededTenant, times = 1): Promise<void> {
  for (const row of await outboxRows(t.id, "destination-verification")) {
    for (let i = 0; i < times; i++) {
      const res = await deliver("destination-verification", row.payload, `msg-${row.dedupe_id}-${i % 2}`);
      expect(res.status, await res.clone().text()).toBe(200);
    }
  }
}

async function codeSentTo(recipient: string): Promise<string> {
  const messages = await sinkMessages({ recipient });
  expect(messages).toHaveLength(1);
  const code = /\b(\d{6})\b/.exec(messages[0]!.body)?.[1];
  expect(code, messages[0]!.body).toBeDefined();
  return code!;
}

const rowsOf = (t: SeededTenant, userId: string) =>
  withAdmin((c) =>
    c.query<{ channel: string; address: string; status: string; attempts: number; code_hash: string | null }>(
      "select channel, address, status, attempts, code_hash from public.notification_destinations where tenant_id = $1 and user_id = $2 order by created_at",
      [t.id, userId],
    ),
  ).then((r) => r.rows);

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("verified notification destinations", { timeout: 90_000 }, () => {
  it("a custom email is pending: one code goes there however often the job runs, reminders keep using the account email, the right code makes it effective", async () => {
    const t = await seedTenant();
    const address = freshEmail();
    const saved = await save(t.employee, { email: address });
    expect(saved.status).toBe(200);
    expect(await json<Settings>(saved)).toMatchObject({ email: address, effectiveEmail: t.employee.email, verification: { email: "pending", telegram: null } });
    const [job, ...more] = await outboxRows(t.id, "destination-verification");
    expect(more).toEqual([]);
    expect(job!.dedupe_id).toMatch(/^verify:[0-9a-f-]{36}$/);

    await sendCodes(t, 3);
    const code = await codeSentTo(address);
    // Only a hash is stored; the code is nowhere in the database (outbox, audit log, the row).
    const [row] = await rowsOf(t, t.employee.id);
    expect(row).toMatchObject({ channel: "email", address, status: "pending", attempts: 0, code_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const leaks = await withAdmin((c) =>
      c.query("select (select count(*) from public.job_outbox where tenant_id = $1 and payload::text like $2) + (select count(*) from public.audit_log where tenant_id = $1 and coalesce(after, '{}')::text like $2) as n", [t.id, `%${code}%`]),
    );
    expect(Number(leaks.rows[0].n)).toBe(0);

    // A reminder before verification goes to the account email, not to the pending address.
    const reminder = await json<{ id: string }>(await call("/v1/automation/reminders", { token: await t.employee.token(), body: { text: "Pending check", remindAt: new Date(Date.now() + 3600_000).toISOString() } }));
    const sent = await json<JobReply>(await deliver("adhoc-reminder", { tenantId: t.id, reminderId: reminder.id }));
    expect(sent.result).toMatchObject({ outcome: "done", channels: { email: "sent" } });
    expect(await sinkMessages({ recipient: address })).toHaveLength(1);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(1);

    await expectProblem(await verify(t.employee, "email", otherCode(code)), 400, "verification_failed");
    const ok = await verify(t.employee, "email", code);
    expect(ok.status).toBe(200);
    expect(await json<Settings>(ok)).toMatchObject({ email: address, effectiveEmail: address, verification: { email: "verified" } });
    // Used: the same code again finds nothing pending.
    await expectProblem(await verify(t.employee, "email", code), 404, "not_found");
    // Saving the verified address again sends nothing.
    expect((await save(t.employee, { email: address, quietHours: { start: "22:00", end: "07:00" } })).status).toBe(200);
    expect(await outboxRows(t.id, "destination-verification")).toHaveLength(1);
  });

  it("a pending Telegram chat receives the code and nothing else; the account email counts as verified", async () => {
    const t = await seedTenant();
    const chat = freshChatId();
    const saved = await json<Settings>(await save(t.employee, { channels: { email: true, telegram: true }, email: t.employee.email.toUpperCase(), telegramChatId: chat }));
    expect(saved.verification).toEqual({ email: "verified", telegram: "pending" });
    expect((await outboxRows(t.id, "destination-verification")).length).toBe(1);
    await sendCodes(t);
    const code = await codeSentTo(chat);
    const reminder = await json<{ id: string }>(await call("/v1/automation/reminders", { token: await t.employee.token(), body: { text: "To the chat?", remindAt: new Date(Date.now() + 3600_000).toISOString() } }));
    const sent = await json<JobReply>(await deliver("adhoc-reminder", { tenantId: t.id, reminderId: reminder.id }));
    expect(sent.result.channels).toEqual({ email: "sent", telegram: "not enabled" });
    expect(await sinkMessages({ recipient: chat })).toHaveLength(1);
    expect((await verify(t.employee, "telegram", code)).status).toBe(200);
    const after = await json<JobReply>(await deliver("adhoc-reminder", { tenantId: t.id, reminderId: (await json<{ id: string }>(await call("/v1/automation/reminders", { token: await t.employee.token(), body: { text: "Now", remindAt: new Date(Date.now() + 3600_000).toISOString() } }))).id }));
    expect(after.result.channels).toEqual({ email: "sent", telegram: "sent" });
  });

  it("another member, or a member of another business, cannot verify someone's address (404), and the attempt is not theirs to spend", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    const address = freshEmail();
    await save(t.employee, { email: address });
    await sendCodes(t);
    const code = await codeSentTo(address);
    await expectProblem(await verify(t.manager, "email", code), 404, "not_found");
    await expectProblem(await verify(t.owner, "email", code), 404, "not_found");
    await expectProblem(await verify(other.employee, "email", code), 404, "not_found");
    await expectProblem(await verify(t.customer, "email", code), 403, "forbidden");
    expect((await rowsOf(t, t.employee.id))[0]).toMatchObject({ status: "pending", attempts: 0 });
    // A colleague naming the same address gets their own code, which does not verify the employee's.
    await save(t.manager, { email: address });
    await sendCodes(t);
    const messages = await sinkMessages({ recipient: address });
    expect(messages).toHaveLength(2);
    const managerCode = /\b(\d{6})\b/.exec(messages.find((m) => !m.body.includes(code))!.body)![1]!;
    if (managerCode !== code) await expectProblem(await verify(t.employee, "email", managerCode), 400, "verification_failed");
    expect((await verify(t.employee, "email", code)).status).toBe(200);
    expect((await rowsOf(t, t.manager.id))[0]).toMatchObject({ status: "pending" });
  });

  it("an expired code is refused (410), even the right one; saving the address again sends a new code", async () => {
    const t = await seedTenant();
    const address = freshEmail();
    await save(t.employee, { email: address });
    await sendCodes(t);
    const code = await codeSentTo(address);
    await withAdmin((c) => c.query("update public.notification_destinations set expires_at = now() - interval '1 second' where tenant_id = $1", [t.id]));
    await expectProblem(await verify(t.employee, "email", code), 410, "verification_expired");
    // The job of an expired request sends nothing.
    const [first] = await outboxRows(t.id, "destination-verification");
    expect((await json<JobReply>(await deliver("destination-verification", first!.payload))).result.outcome).toBe("stale");
    expect((await save(t.employee, { email: address })).status).toBe(200);
    const jobs = await outboxRows(t.id, "destination-verification");
    expect(jobs).toHaveLength(2);
    await deliver("destination-verification", jobs.find((j) => j.dedupe_id !== first!.dedupe_id)!.payload);
    const messages = await sinkMessages({ recipient: address });
    expect(messages).toHaveLength(2);
    const fresh = /\b(\d{6})\b/.exec(messages.find((m) => !m.body.includes(code))?.body ?? messages[1]!.body)![1]!;
    if (fresh !== code) await expectProblem(await verify(t.employee, "email", code), 400, "verification_failed");
    expect((await verify(t.employee, "email", fresh)).status).toBe(200);
  });

  it("brute force: 5 attempts (counted even when sent at once), then even the right code is locked out", async () => {
    const t = await seedTenant();
    const address = freshEmail();
    await save(t.employee, { email: address });
    await sendCodes(t);
    const code = await codeSentTo(address);
    const wrong = Array.from({ length: 7 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const statuses = (await Promise.all(wrong.map((w) => verify(t.employee, "email", w)))).map((r) => r.status).sort();
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    expect((await rowsOf(t, t.employee.id))[0]).toMatchObject({ status: "pending", attempts: 5 });
    await expectProblem(await verify(t.employee, "email", code), 429, "verification_locked");
    expect((await json<Settings>(await call("/v1/me/notifications", { token: await t.employee.token() }))).effectiveEmail).toBe(t.employee.email);
  });

  it("at most 5 verification codes per member per hour (429), the refused save changes nothing", async () => {
    const t = await seedTenant();
    for (let i = 0; i < 5; i++) expect((await save(t.employee, { email: freshEmail() })).status).toBe(200);
    const before = await json<Settings>(await call("/v1/me/notifications", { token: await t.employee.token() }));
    const refused = await save(t.employee, { email: freshEmail() });
    expect(refused.headers.get("retry-after")).toBe("3600");
    const problem = await expectProblem(refused, 429, "rate_limited");
    expect(problem.errors).toEqual([{ path: "body.email", message: "is not accepted" }]);
    expect(await json<Settings>(await call("/v1/me/notifications", { token: await t.employee.token() }))).toEqual(before);
    expect(await outboxRows(t.id, "destination-verification")).toHaveLength(5);
    // Only the newest request is pending; the earlier ones were superseded (their codes stop working).
    expect((await rowsOf(t, t.employee.id)).map((r) => r.status)).toEqual(["superseded", "superseded", "superseded", "superseded", "pending"]);
    // The account email needs no code, so it is never limited.
    expect((await save(t.employee, { email: t.employee.email })).status).toBe(200);
  });

  it("SQL as authenticated cannot mark an address verified or read a code's hash", async () => {
    const t = await seedTenant();
    await save(t.employee, { email: freshEmail() });
    const claims = { sub: t.employee.id, role: "authenticated", tenant_id: t.id };
    await expect(asAuthenticated(claims, (c) => c.query("select code_hash from public.notification_destinations"))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("update public.notification_destinations set status = 'verified', verified_at = now()"))).rejects.toThrow(/permission denied/);
    await expect(
      asAuthenticated(claims, (c) => c.query("insert into public.notification_destinations (tenant_id, user_id, channel, address, status, verified_at) values ($1, $2, 'email', 'x@y.test', 'verified', now())", [t.id, t.employee.id])),
    ).rejects.toThrow(/permission denied/);
    expect((await asAuthenticated(claims, (c) => c.query("select status from public.notification_destinations"))).rows).toEqual([{ status: "pending" }]);
  });
});
