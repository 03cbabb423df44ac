import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

describe("PATCH /v1/me/settings", () => {
  it("changes the time zone and locale, and writes an audit row in the same transaction", async () => {
    const t = await seedTenant();
    const res = await call("/v1/me/settings", { method: "PATCH", token: await t.employee.token(), body: { timezone: "America/New_York", locale: "en-GB" }, headers: { "x-request-id": "req-settings-0001" } });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ timezone: "America/New_York", locale: "en-GB", activeTenantId: t.id });
    const audit = await withAdmin((c) =>
      c.query("select actor_id, action, request_id, before ->> 'timezone' as before_tz, after ->> 'timezone' as after_tz from public.audit_log where tenant_id = $1 and action = 'user_settings.update'", [t.id]),
    );
    expect(audit.rows).toEqual([{ actor_id: t.employee.id, action: "user_settings.update", request_id: "req-settings-0001", before_tz: "UTC", after_tz: "America/New_York" }]);
  });

  it("creates settings for a person who has none yet", async () => {
    const person = await createUser();
    const res = await call("/v1/me/settings", { method: "PATCH", token: await hs256Token({ id: person.id }), body: { timezone: "Asia/Tokyo" } });
    expect(await json(res)).toEqual({ timezone: "Asia/Tokyo", locale: "en-US", activeTenantId: null });
  });

  it.each([
    [{ timezone: "Mars/Olympus" }, "body.timezone"],
    [{ timezone: "EST" }, "body.timezone"],
    [{ timezone: "UTC+5" }, "body.timezone"],
    [{ timezone: 42 }, "body.timezone"],
    [{ locale: "not a locale" }, "body.locale"],
    [{ theme: "dark" }, "body"],
    [{}, "body"],
  ])("refuses %j with 400 naming %s", async (body, path) => {
    const t = await seedTenant();
    const problem = await expectProblem(await call("/v1/me/settings", { method: "PATCH", token: await t.employee.token(), body }), 400, "bad_request");
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it("refuses malformed JSON, a non-JSON body and an oversize body with 4xx problems", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await expectProblem(await call("/v1/me/settings", { method: "PATCH", token, rawBody: "{\"timezone\":", headers: { "content-type": "application/json" } }), 400, "bad_request");
    await expectProblem(await call("/v1/me/settings", { method: "PATCH", token, rawBody: "timezone=UTC", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
    const huge = JSON.stringify({ timezone: "UTC", padding: "x".repeat(1024 * 1024 + 10) });
    await expectProblem(await call("/v1/me/settings", { method: "PATCH", token, rawBody: huge, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
  });
});

describe("GET /v1/me/tenants and POST /v1/me/active-tenant", () => {
  it("lists every active membership and switches between them; the token hook follows the setting", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    await withAdmin((c) => c.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'manager')", [b.id, a.employee.id]));
    const token = await a.employee.token();
    const list = await json<{ data: { id: string; role: string; active: boolean }[] }>(await call("/v1/me/tenants", { token }));
    expect(list.data.map((x) => [x.id, x.role, x.active]).sort()).toEqual([[a.id, "employee", true], [b.id, "manager", false]].sort());

    const switched = await call("/v1/me/active-tenant", { token, body: { tenantId: b.id } });
    expect(switched.status).toBe(200);
    expect(await json(switched)).toMatchObject({ activeTenant: { id: b.id, role: "manager" }, tokenRefreshRequired: true });

    const hooked = await withAdmin((c) =>
      c.query("select public.custom_access_token_hook(jsonb_build_object('user_id', $1::text, 'claims', jsonb_build_object('sub', $1::text))) as e", [a.employee.id]),
    );
    expect(hooked.rows[0]!.e.claims).toMatchObject({ tenant_id: b.id, tenant_role: "manager" });
  });

  it("replays an Idempotency-Key and refuses the same key with another body", async () => {
    const t = await seedTenant();
    const token = await t.owner.token();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await call("/v1/me/active-tenant", { token, headers, body: { tenantId: t.id } });
    const again = await call("/v1/me/active-tenant", { token, headers, body: { tenantId: t.id } });
    expect(again.status).toBe(first.status);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(await json(first));
    await expectProblem(await call("/v1/me/active-tenant", { token, headers, body: { tenantId: crypto.randomUUID() } }), 409, "idempotency_conflict");
  });
});
