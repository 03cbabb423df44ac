// Ad-hoc reminders: for yourself, or (automation.manage) for another staff member; listed as your
// own or, with automation.read, everyone's; cancelled before they fire (the delivery is a no-op);
// delivered exactly once per channel however often QStash delivers the job.
import { describe, expect, it } from "vitest";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { freshChatId, sinkMessages } from "../../support/sink.ts";
import { markVerified, outboxRows } from "./support.ts";

type Reminder = { id: string; userId: string; createdBy: string; text: string; status: string; channels: string[] | null; deliveries: { channel: string; status: string }[] };
type JobReply = { result: { outcome: string; channels?: Record<string, string> } };

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

async function remind(t: SeededTenant, by: SeededTenant["owner"], body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call("/v1/automation/reminders", { method: "POST", token: await by.token(), body: { text: "Call the lab back", remindAt: inAnHour(), ...body }, headers });
}

describe("ad-hoc reminders", { timeout: 60_000 }, () => {
  it("queue a job with a deterministic dedupe id; delivered 3× send one message per channel", async () => {
    const t = await seedTenant();
    const chatId = freshChatId();
    await markVerified(t.id, t.employee.id, "telegram", chatId);
    await call("/v1/me/notifications", { method: "PUT", token: await t.employee.token(), body: { channels: { email: true, telegram: true }, email: null, telegramChatId: chatId, quietHours: null } });
    const res = await remind(t, t.employee, {}, { "idempotency-key": `k-${crypto.randomUUID()}` });
    expect(res.status).toBe(201);
    const reminder = await json<Reminder>(res);
    expect(reminder).toMatchObject({ userId: t.employee.id, createdBy: t.employee.id, status: "scheduled", channels: null, deliveries: [] });
    const [row] = await outboxRows(t.id, "adhoc-reminder");
    expect(row).toMatchObject({ dedupe_id: `reminder:adhoc:${reminder.id}`, payload: { tenantId: t.id, reminderId: reminder.id } });

    const outcomes = [];
    for (const id of ["b", "a", "b", "a"]) outcomes.push((await json<JobReply>(await deliver("adhoc-reminder", row!.payload, `msg-${id}`))).result);
    expect(outcomes[0]).toEqual({ outcome: "done", channels: { email: "sent", telegram: "sent" } });
    expect(outcomes.slice(1).every((o) => o.channels?.email === "duplicate" && o.channels.telegram === "duplicate")).toBe(true);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(1);
    expect(await sinkMessages({ recipient: chatId })).toHaveLength(1);
    const after = await json<Reminder>(await call(`/v1/automation/reminders/${reminder.id}`, { token: await t.employee.token() }));
    expect(after.status).toBe("delivered");
    expect(after.deliveries.map((d) => [d.channel, d.status])).toEqual([["email", "sent"], ["telegram", "sent"]]);
  });

  it("only the chosen channels, and a cancelled reminder's delivery is a no-op", async () => {
    const t = await seedTenant();
    const chatId = freshChatId();
    await markVerified(t.id, t.employee.id, "telegram", chatId);
    await call("/v1/me/notifications", { method: "PUT", token: await t.employee.token(), body: { channels: { email: true, telegram: true }, email: null, telegramChatId: chatId, quietHours: null } });
    const only = await json<Reminder>(await remind(t, t.employee, { channels: ["telegram"] }));
    await deliver("adhoc-reminder", { tenantId: t.id, reminderId: only.id });
    expect(await sinkMessages({ recipient: chatId })).toHaveLength(1);
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(0);

    const cancelled = await json<Reminder>(await remind(t, t.employee, {}));
    const del = await call(`/v1/automation/reminders/${cancelled.id}`, { method: "DELETE", token: await t.employee.token() });
    expect(del.status).toBe(200);
    expect((await json<Reminder>(del)).status).toBe("cancelled");
    // Cancelling again changes nothing.
    expect((await call(`/v1/automation/reminders/${cancelled.id}`, { method: "DELETE", token: await t.employee.token() })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await json<JobReply>(await deliver("adhoc-reminder", { tenantId: t.id, reminderId: cancelled.id }))).result.outcome).toBe("stale");
    expect(await sinkMessages({ recipient: t.employee.email })).toHaveLength(0);
  });

  it("another member only with automation.manage; others' reminders stay hidden; another tenant's id is 404", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    // An employee may not remind a colleague; an owner may, and the colleague sees it.
    await expectProblem(await remind(t, t.employee, { userId: t.colleague.id }), 403, "forbidden");
    const byOwner = await remind(t, t.owner, { userId: t.employee.id });
    expect(byOwner.status).toBe(201);
    const forEmployee = await json<Reminder>(byOwner);
    // A manager (automation.read, not .manage) may not remind others either.
    await expectProblem(await remind(t, t.manager, { userId: t.employee.id }), 403, "forbidden");
    // Not a staff member here (a customer, another tenant's person, nobody): 404 for who may remind others.
    for (const userId of [t.customer.id, other.employee.id, crypto.randomUUID()]) {
      await expectProblem(await remind(t, t.owner, { userId }), 404, "not_found");
    }
    const own = await json<Reminder>(await remind(t, t.colleague, {}));

    const list = async (who: SeededTenant["owner"], query = "") => (await json<{ data: Reminder[] }>(await call(`/v1/automation/reminders${query}`, { token: await who.token() }))).data.map((r) => r.id);
    expect(await list(t.employee)).toEqual([forEmployee.id]);
    expect(await list(t.colleague)).toEqual([own.id]);
    expect((await list(t.manager)).sort()).toEqual([forEmployee.id, own.id].sort());
    expect(await list(t.owner, `?userId=${t.colleague.id}`)).toEqual([own.id]);

    // The employee cannot see, nor cancel, the colleague's reminder: 404, as for another tenant's.
    await expectProblem(await call(`/v1/automation/reminders/${own.id}`, { token: await t.employee.token() }), 404, "not_found");
    await expectProblem(await call(`/v1/automation/reminders/${own.id}`, { method: "DELETE", token: await t.employee.token() }), 404, "not_found");
    // The manager sees it but may not cancel it.
    await expectProblem(await call(`/v1/automation/reminders/${own.id}`, { method: "DELETE", token: await t.manager.token() }), 403, "forbidden");
    for (const method of ["GET", "DELETE"]) {
      await expectProblem(await call(`/v1/automation/reminders/${own.id}`, { method, token: await other.owner.token() }), 404, "not_found");
    }
    // The recipient may cancel what the owner set for them.
    expect((await call(`/v1/automation/reminders/${forEmployee.id}`, { method: "DELETE", token: await t.employee.token() })).status).toBe(200);
  });

  it("validate the body with field paths", async () => {
    const t = await seedTenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ remindAt: new Date(Date.now() - 60_000).toISOString() }, "body.remindAt"],
      [{ remindAt: "tomorrow" }, "body.remindAt"],
      [{ text: "" }, "body.text"],
      [{ channels: ["sms"] }, "body.channels.0"],
      [{ channels: ["email", "email"] }, "body.channels"],
      [{ userId: "nope" }, "body.userId"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await remind(t, t.employee, body), 400, "bad_request");
      expect((problem.errors as { path: string }[]).map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
  });
});
