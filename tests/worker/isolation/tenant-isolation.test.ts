// One business can never see or touch another's data. Each case goes through the Worker (or,
// for the last ones, straight to Postgres as `authenticated`) with two freshly seeded tenants.
import { beforeAll, describe, expect, it } from "vitest";
import { API_HOST, TENANT_HOST_SUFFIX } from "../../support/config.ts";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { createUser, seedTenant, setMembershipActive, type SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

let a: SeededTenant;
let b: SeededTenant;
beforeAll(async () => {
  [a, b] = await Promise.all([seedTenant({ primaryHost: `office-${crypto.randomUUID().slice(0, 6)}.example.test` }), seedTenant()]);
});

const memberIds = async (res: Response) => (await json<{ data: { userId: string }[] }>(res)).data.map((m) => m.userId);

describe("tenant isolation through the API", () => {
  it("lists only the caller's tenant's members", async () => {
    const ids = await memberIds(await call("/v1/members", { token: await a.owner.token() }));
    expect(ids).toContain(a.employee.id);
    expect(ids).not.toContain(b.employee.id);
    expect(ids).not.toContain(b.owner.id);
  });

  it("another tenant's member id is 404, and nothing changes there", async () => {
    const res = await call(`/v1/members/${b.employee.id}`, { method: "PATCH", token: await a.owner.token(), body: { active: false } });
    await expectProblem(res, 404, "not_found");
    const still = await withAdmin((c) => c.query("select active from public.memberships where tenant_id = $1 and user_id = $2", [b.id, b.employee.id]));
    expect(still.rows[0]!.active).toBe(true);
  });

  it("ignores a forged x-tenant-id header", async () => {
    const res = await call("/v1/members", { token: await a.owner.token(), headers: { "x-tenant-id": b.id } });
    expect(res.status).toBe(200);
    const ids = await memberIds(res);
    expect(ids).toContain(a.owner.id);
    expect(ids).not.toContain(b.owner.id);
  });

  it("ignores every x-tenant-* header, also on user routes", async () => {
    const res = await call("/v1/me", { token: await a.owner.token(), headers: { "x-tenant-id": b.id, "x-tenant-slug": b.slug, "X-Tenant-Host": `${b.slug}${TENANT_HOST_SUFFIX}` } });
    expect((await json<{ tenant: { id: string } }>(res)).tenant.id).toBe(a.id);
  });

  it("a request on another tenant's host is 403 tenant_mismatch", async () => {
    const res = await call("/v1/members", { token: await a.owner.token(), host: `${b.slug}${TENANT_HOST_SUFFIX}` });
    await expectProblem(res, 403, "tenant_mismatch");
  });

  it("a request on the tenant's own host, or on the API host, is served", async () => {
    expect((await call("/v1/members", { token: await a.owner.token(), host: `${a.slug}${TENANT_HOST_SUFFIX}` })).status).toBe(200);
    expect((await call("/v1/members", { token: await a.owner.token(), host: API_HOST })).status).toBe(200);
  });

  it("a custom host is served only to the tenant whose primary host it is", async () => {
    const host = (await withAdmin((c) => c.query("select primary_host from public.tenants where id = $1", [a.id]))).rows[0]!.primary_host as string;
    expect((await call("/v1/members", { token: await a.owner.token(), host })).status).toBe(200);
    await expectProblem(await call("/v1/members", { token: await b.owner.token(), host }), 403, "tenant_mismatch");
    await expectProblem(await call("/v1/members", { token: await a.owner.token(), host: "unknown.example.test" }), 403, "tenant_mismatch");
  });

  it("switching the active tenant to one without a membership is 403", async () => {
    const res = await call("/v1/me/active-tenant", { token: await a.employee.token(), body: { tenantId: b.id } });
    await expectProblem(res, 403, "forbidden");
    const me = await json<{ settings: { activeTenantId: string } }>(await call("/v1/me", { token: await a.employee.token() }));
    expect(me.settings.activeTenantId).toBe(a.id);
  });

  it("switching to a tenant whose membership was deactivated is 403", async () => {
    const person = await createUser();
    await withAdmin((c) =>
      c.query(
        `insert into public.memberships (tenant_id, user_id, role, active) values ($1, $3, 'employee', true), ($2, $3, 'employee', false)`,
        [a.id, b.id, person.id],
      ),
    );
    const token = await hs256Token({ id: person.id, tenantId: a.id });
    await expectProblem(await call("/v1/me/active-tenant", { token, body: { tenantId: b.id } }), 403, "forbidden");
    expect((await call("/v1/me/active-tenant", { token, body: { tenantId: a.id } })).status).toBe(200);
  });

  it("a membership deactivated after the token was issued is refused on the next request", async () => {
    const t = await seedTenant();
    const token = await t.colleague.token();
    expect((await call("/v1/members", { token })).status).toBe(200);
    await setMembershipActive(t.id, t.colleague.id, false);
    await expectProblem(await call("/v1/members", { token }), 403, "membership_inactive");
  });

  it("a validly signed token naming a tenant the person never belonged to sees nothing", async () => {
    const token = await hs256Token({ id: a.employee.id, tenantId: b.id });
    await expectProblem(await call("/v1/members", { token }), 403, "membership_inactive");
    await expectProblem(await call(`/v1/members/${b.employee.id}`, { method: "PATCH", token, body: { role: "admin" } }), 403, "membership_inactive");
  });

  it("a suspended tenant is refused to its own members", async () => {
    const t = await seedTenant();
    await withAdmin((c) => c.query("update public.tenants set status = 'suspended' where id = $1", [t.id]));
    await expectProblem(await call("/v1/members", { token: await t.owner.token() }), 403, "membership_inactive");
  });

  it("an Idempotency-Key used by one person replays nothing to another", async () => {
    const key = crypto.randomUUID();
    const personA = await createUser();
    const personB = await createUser();
    const resA = await call("/v1/tenants", { token: await hs256Token({ id: personA.id }), headers: { "idempotency-key": key }, body: { slug: `k-${key.slice(0, 8)}`, name: "A" } });
    expect(resA.status).toBe(201);
    const resB = await call("/v1/tenants", { token: await hs256Token({ id: personB.id }), headers: { "idempotency-key": key }, body: { slug: `k-${key.slice(0, 8)}`, name: "A" } });
    expect(resB.headers.get("idempotent-replayed")).toBeNull();
    await expectProblem(resB, 409, "conflict");
  });
});

describe("tenant isolation in Postgres itself (the same SQL a frontend could send)", () => {
  const claimsOf = (user: { id: string }, tenantId: string) => ({ sub: user.id, role: "authenticated", tenant_id: tenantId });

  it("as authenticated with tenant A's claims, tenant B's rows do not exist", async () => {
    await asAuthenticated(claimsOf(a.owner, a.id), async (c) => {
      expect((await c.query("select * from public.memberships where tenant_id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("select * from public.tenants where id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("select * from public.audit_log where tenant_id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("select * from public.user_settings where user_id = $1", [b.owner.id])).rowCount).toBe(0);
      expect((await c.query("update public.memberships set role = 'admin' where tenant_id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("delete from public.memberships where tenant_id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("update public.tenants set name = 'pwned' where id = $1", [b.id])).rowCount).toBe(0);
    });
  });

  it("claims naming tenant B for someone who is not B's member see nothing of B and cannot write into it", async () => {
    await asAuthenticated(claimsOf(a.owner, b.id), async (c) => {
      expect((await c.query("select * from public.memberships where tenant_id = $1", [b.id])).rowCount).toBe(0);
      expect((await c.query("select private.current_tenant() as t")).rows[0]!.t).toBeNull();
      await expect(
        c.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'owner')", [b.id, a.owner.id]),
      ).rejects.toThrow(/row-level security/);
    });
  });

  it("the anonymous role can read nothing at all", async () => {
    await withAdmin(async (c) => {
      await c.query("begin");
      await c.query("set local role anon");
      await expect(c.query("select * from public.memberships")).rejects.toThrow(/permission denied/);
      await c.query("rollback");
    });
  });
});
