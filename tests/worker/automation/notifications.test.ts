// GET/PUT /v1/me/notifications: per membership, defaults until saved, validated with field paths,
// each member's own (RLS), audited.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

const base = { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours: null };

describe("notification settings", () => {
  it("start from the defaults (email to the member's address) and save per membership, audited", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const defaults = await json(await call("/v1/me/notifications", { token }));
    expect(defaults).toEqual({
      channels: { email: true, telegram: false }, email: null, effectiveEmail: t.employee.email, telegramChatId: null,
      verification: { email: null, telegram: null }, quietHours: null, timezone: "UTC", updatedAt: null,
    });
    const res = await call("/v1/me/notifications", {
      method: "PUT",
      token,
      body: { channels: { email: false, telegram: true }, email: "Me@Example.TEST", telegramChatId: "-100123", quietHours: { start: "22:00", end: "07:00" } },
    });
    expect(res.status).toBe(200);
    // Custom addresses are pending until verified (tests/worker/automation/destinations.test.ts):
    // emails keep going to the account email meanwhile.
    expect(await json(res)).toMatchObject({
      channels: { email: false, telegram: true }, email: "me@example.test", effectiveEmail: t.employee.email, telegramChatId: "-100123",
      verification: { email: "pending", telegram: "pending" }, quietHours: { start: "22:00", end: "07:00" },
    });
    // Another member of the business does not see them; the audit log has the change (chat id redacted).
    expect(await json(await call("/v1/me/notifications", { token: await t.manager.token() }))).toMatchObject({ updatedAt: null, effectiveEmail: t.manager.email });
    const audit = await withAdmin((c) => c.query("select action, after from public.audit_log where tenant_id = $1 and resource_type = 'notification_settings'", [t.id]));
    expect(audit.rows).toEqual([expect.objectContaining({ action: "notification_settings.insert" })]);
    expect(audit.rows[0].after.telegram_chat_id).toBe("[redacted]");
  });

  it("refuses bad settings with 400 and the field path", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, channels: { email: true, telegram: true } }, "body.telegramChatId"],
      [{ ...base, email: "not-an-email" }, "body.email"],
      [{ ...base, telegramChatId: "12ab" }, "body.telegramChatId"],
      [{ ...base, quietHours: { start: "25:00", end: "07:00" } }, "body.quietHours.start"],
      [{ ...base, quietHours: { start: "07:00", end: "07:00" } }, "body.quietHours.end"],
      [{ ...base, channels: { email: true } }, "body.channels.telegram"],
      [{ ...base, extra: 1 }, "body"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await call("/v1/me/notifications", { method: "PUT", token, body }), 400, "bad_request");
      expect((problem.errors as { path: string }[]).map((e) => e.path), JSON.stringify(body)).toContain(path);
    }
  });

  it("are staff-only (a customer has none to set)", async () => {
    const t = await seedTenant();
    await expectProblem(await call("/v1/me/notifications", { token: await t.customer.token() }), 403, "forbidden");
  });
});
