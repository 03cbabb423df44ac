// The SCIM userName lookup (filter=userName eq "…", and a create's uniqueness check) must stay
// an index condition under RLS on a large directory. lower(user_name) = $1 once ran as a
// sequential scan (lower() is not leakproof, so Postgres would not run it ahead of the policy's
// qual); the query compares the stored lower-case copy instead. The statements here are the
// ones functions/routes/scim/users-queries.ts builds, run as office_scim with a real token.
import { createHash } from "node:crypto";
import pg from "pg";
import { expect, inject, it } from "vitest";
import { FilterSql } from "../../functions/lib/scim/filter-sql.ts";
import { USER_ATTRIBUTES } from "../../functions/routes/scim/users-queries.ts";
import { seedScimDirectory } from "../../scripts/bench/seed-scim.ts";

it("finds a userName in a 20,000-user directory through the (tenant_id, user_name_key) index, as office_scim", async () => {
  const admin = new pg.Client({ connectionString: inject("adminUrl") });
  await admin.connect();
  const tenant = crypto.randomUUID();
  try {
    await admin.query("insert into public.tenants (id, slug, name) values ($1, $2, 'SCIM plans')", [tenant, `plans-${tenant.slice(0, 8)}`]);
    // The directory's tokens are its owner's (a token works only while its creator is an owner or admin).
    const owner = crypto.randomUUID();
    await admin.query("insert into auth.users (id, email) values ($1, $2)", [owner, `owner-${tenant.slice(0, 8)}@plans.test`]);
    await admin.query("insert into public.memberships (tenant_id, user_id, role) values ($1, $2, 'owner')", [tenant, owner]);
  } finally {
    await admin.end();
  }
  const dir = await seedScimDirectory(inject("adminUrl"), tenant, 20_000);
  const f = new FilterSql(USER_ATTRIBUTES, []);
  const where = f.where(`userName eq "${dir.userName.toUpperCase()}"`);
  const api = new pg.Client({ connectionString: inject("databaseUrl") });
  await api.connect();
  try {
    await api.query("begin");
    const hash = createHash("sha256").update(dir.tokens[0]!).digest("hex");
    await api.query("select set_config('role', 'office_scim', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify({ scim_token_sha256: hash })]);
    const plan = async (sql: string) => (await api.query(`explain ${sql}`, f.values)).rows.map((r) => r["QUERY PLAN"] as string).join("\n");
    const page = await plan(`select u.id from public.scim_users u where u.tenant_id = (select private.scim_tenant()) and ${where} order by u.created_at, u.id limit 100`);
    const count = await plan(`select count(*) from public.scim_users u where u.tenant_id = (select private.scim_tenant()) and ${where}`);
    for (const p of [page, count]) {
      expect(p).toMatch(/Index (Only )?Scan using scim_users_tenant_id_user_name_key/);
      expect(p).not.toMatch(/Seq Scan/);
    }
    const found = await api.query(`select u.user_name from public.scim_users u where u.tenant_id = (select private.scim_tenant()) and ${where}`, f.values);
    expect(found.rows).toEqual([{ user_name: dir.userName }]);
  } finally {
    await api.query("rollback").catch(() => undefined);
    await api.end();
  }
}, 120_000);
