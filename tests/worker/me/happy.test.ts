import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

type Me = { tenant: { id: string; role: string } | null; nextTenant: { id: string; role: string } | null; permissions: string[]; settings: { activeTenantId: string } };
type Members = { data: { userId: string }[] };

describe("GET /v1/me", () => {
  it("returns the caller, the token's tenant with their role and permissions, and settings", async () => {
    const t = await seedTenant();
    const res = await call("/v1/me", { token: await t.employee.token() });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      user: { id: t.employee.id, email: t.employee.email },
      tenant: { id: t.id, slug: t.slug, role: "employee", department: "sales", departmentId: t.employee.departmentId },
      nextTenant: null,
      settings: { timezone: "UTC", locale: "en-US", activeTenantId: t.id },
    });
    expect(body.permissions).toEqual(expect.arrayContaining(["tasks.write_assigned", "notes.read_team"]));
  });

  it("after switching tenants, the old token's /v1/me and data agree (the old tenant), and so do the new token's", async () => {
    const [a, b] = await Promise.all([seedTenant(), seedTenant()]);
    const person = a.employee;
    await withAdmin((c) => c.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'manager')", [b.id, person.id]));
    const old = await person.token();
    expect((await call("/v1/me/active-tenant", { token: old, body: { tenantId: b.id } })).status).toBe(200);

    const oldMe = await json<Me>(await call("/v1/me", { token: old }));
    expect(oldMe.tenant).toMatchObject({ id: a.id, role: "employee" });
    expect(oldMe.permissions).not.toContain("tasks.read_all");
    expect(oldMe.nextTenant).toMatchObject({ id: b.id, role: "manager" });
    expect(oldMe.settings.activeTenantId).toBe(b.id);
    const oldMembers = (await json<Members>(await call("/v1/members", { token: old }))).data.map((m) => m.userId);
    expect(oldMembers).toContain(a.owner.id);
    expect(oldMembers).not.toContain(b.owner.id);

    const fresh = await hs256Token({ id: person.id, email: person.email, tenantId: b.id });
    const newMe = await json<Me>(await call("/v1/me", { token: fresh }));
    expect(newMe.tenant).toMatchObject({ id: b.id, role: "manager" });
    expect(newMe.permissions).toContain("tasks.read_all");
    expect(newMe.nextTenant).toBeNull();
    const newMembers = (await json<Members>(await call("/v1/members", { token: fresh }))).data.map((m) => m.userId);
    expect(newMembers).toContain(b.owner.id);
    expect(newMembers).not.toContain(a.owner.id);
  });

  it("a token for a tenant the person has left names no tenant and no permissions", async () => {
    const t = await seedTenant();
    const token = await t.employee.token();
    await withAdmin((c) => c.query("update public.memberships set active = false where tenant_id = $1 and user_id = $2", [t.id, t.employee.id]));
    const me = await json<Me>(await call("/v1/me", { token }));
    expect(me.tenant).toBeNull();
    expect(me.permissions).toEqual([]);
  });
});
