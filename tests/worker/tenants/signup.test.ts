import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

const slug = () => `co-${crypto.randomUUID().slice(0, 8)}`;

describe("POST /v1/tenants (sign-up)", () => {
  it("creates the tenant and the owner membership together, makes it active, and audits it", async () => {
    const person = await createUser();
    const token = await hs256Token({ id: person.id, email: person.email });
    const s = slug();
    const res = await call("/v1/tenants", { token, body: { slug: s, name: "  New Co  " } });
    expect(res.status).toBe(201);
    const body = await json<{ tenant: { id: string; slug: string; name: string; plan: string; status: string }; role: string; tokenRefreshRequired: boolean }>(res);
    expect(body).toMatchObject({ tenant: { slug: s, name: "New Co", plan: "free", status: "active" }, role: "owner", tokenRefreshRequired: true });

    const rows = await withAdmin(async (c) => ({
      membership: (await c.query("select role, email, active from public.memberships where tenant_id = $1", [body.tenant.id])).rows,
      settings: (await c.query("select active_tenant_id from public.user_settings where user_id = $1", [person.id])).rows,
      audit: (await c.query("select action from public.audit_log where tenant_id = $1 order by id", [body.tenant.id])).rows.map((r) => r.action),
    }));
    expect(rows.membership).toEqual([{ role: "owner", email: person.email, active: true }]);
    expect(rows.settings).toEqual([{ active_tenant_id: body.tenant.id }]);
    expect(rows.audit).toEqual(expect.arrayContaining(["tenants.insert", "memberships.insert"]));

    const withTenant = await hs256Token({ id: person.id, tenantId: body.tenant.id });
    expect((await call("/v1/members", { token: withTenant })).status).toBe(200);
  });

  it("a taken slug is 409 and leaves nothing half-created", async () => {
    const t = await seedTenant();
    const person = await createUser();
    const res = await call("/v1/tenants", { token: await hs256Token({ id: person.id }), body: { slug: t.slug, name: "Copycat" } });
    await expectProblem(res, 409, "conflict");
    const left = await withAdmin((c) => c.query("select count(*)::int as n from public.memberships where user_id = $1", [person.id]));
    expect(left.rows[0]!.n).toBe(0);
  });

  it("keeps an existing active tenant when the person signs up another business", async () => {
    const t = await seedTenant();
    const res = await call("/v1/tenants", { token: await t.manager.token(), body: { slug: slug(), name: "Side business" } });
    expect(await json(res)).toMatchObject({ tokenRefreshRequired: false });
    const me = await json<{ settings: { activeTenantId: string } }>(await call("/v1/me", { token: await t.manager.token() }));
    expect(me.settings.activeTenantId).toBe(t.id);
  });

  it("replays the first response for a retried Idempotency-Key without creating a second tenant", async () => {
    const person = await createUser();
    const token = await hs256Token({ id: person.id });
    const headers = { "idempotency-key": `signup-${crypto.randomUUID()}` };
    const body = { slug: slug(), name: "Retry Co" };
    const first = await call("/v1/tenants", { token, headers, body });
    const second = await call("/v1/tenants", { token, headers, body });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(second)).toEqual(await json(first));
    const n = await withAdmin((c) => c.query("select count(*)::int as n from public.tenants where slug = $1", [body.slug]));
    expect(n.rows[0]!.n).toBe(1);
    await expectProblem(await call("/v1/tenants", { token, headers, body: { ...body, name: "Other" } }), 409, "idempotency_conflict");
  });

  it("validates the slug, the name, the key and unknown fields", async () => {
    const token = await hs256Token({ id: (await createUser()).id });
    for (const body of [{ slug: "A!", name: "x" }, { slug: "ok-slug", name: "" }, { slug: "ok-slug", name: "x", plan: "enterprise" }, { name: "x" }]) {
      await expectProblem(await call("/v1/tenants", { token, body }), 400, "bad_request");
    }
    await expectProblem(await call("/v1/tenants", { token, headers: { "idempotency-key": "has space" }, body: { slug: slug(), name: "x" } }), 400, "bad_request");
  });
});
