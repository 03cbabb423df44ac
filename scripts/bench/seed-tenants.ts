// Scale data for `npm run bench`: `tenants` businesses with five members each (an owner and four
// employees) and `tasksPerTenant` tasks each, plus the same number of tasks for the seeded acme
// tenant (so GET /v1/tasks pages through a realistic list). Written through the owner (`postgres`)
// connection before anything is measured, with `insert … select generate_series`.
//
// Ids are derived from the tenant number t (1…tenants) so pgbench scripts and tokens can name any
// of them without a lookup: tenant `e0000000-0000-4000-8000-<t, 12 digits>`, member k (1 = owner,
// 2-5 = employees) `e<k>000000-0000-4000-8000-<t, 12 digits>`.
//
// The tasks table's user triggers (audit row, touch, guards) are disabled while the tasks go in
// (`alter table … disable trigger user`, as the table owner; the foreign keys still check every
// row) and re-enabled afterwards, also on failure.
import pg from "pg";

export const benchTenantId = (t: number) => `e0000000-0000-4000-8000-${String(t).padStart(12, "0")}`;
export const benchMemberId = (t: number, k: number) => `e${k}000000-0000-4000-8000-${String(t).padStart(12, "0")}`;
/** The same ids in SQL, from an integer expression (e.g. a pgbench variable). */
export const benchTenantSql = (t: string) => `('e0000000-0000-4000-8000-' || lpad((${t})::text, 12, '0'))::uuid`;
export const benchMemberSql = (t: string, k: string) => `('e' || (${k})::text || '000000-0000-4000-8000-' || lpad((${t})::text, 12, '0'))::uuid`;

export const MEMBERS_PER_TENANT = 5;

export interface TenantSeed {
  tenants: number;
  tasksPerTenant: number;
  /** An existing tenant that gets tasksPerTenant tasks too, by its five members (the first is the creator of every fifth batch, members 2-5 the assignees). */
  extra: { tenantId: string; memberIds: string[] };
}

export async function seedTenants(adminUrl: string, s: TenantSeed, parallel: number): Promise<{ tenants: number; members: number; tasks: number; seconds: number }> {
  const started = performance.now();
  const withClient = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const members = `from generate_series(1, $1::int) t, generate_series(1, ${MEMBERS_PER_TENANT}) k`;
  await withClient(async (c) => {
    await c.query("begin");
    await c.query(`insert into auth.users (id, email) select ${benchMemberSql("t", "k")}, format('m%s.t%s@bench.test', k, t) ${members}`, [s.tenants]);
    await c.query(
      `insert into public.tenants (id, slug, name, plan, created_by)
       select ${benchTenantSql("t")}, 'bench-t' || t, 'Bench business ' || t, 'enterprise', ${benchMemberSql("t", "1")}
       from generate_series(1, $1::int) t`,
      [s.tenants],
    );
    await c.query(
      `insert into public.memberships (tenant_id, user_id, role, email, display_name)
       select ${benchTenantSql("t")}, ${benchMemberSql("t", "k")}, (case when k = 1 then 'owner' else 'employee' end)::public.member_role,
         format('m%s.t%s@bench.test', k, t), 'Member ' || k ${members}`,
      [s.tenants],
    );
    await c.query(`insert into public.user_settings (user_id, active_tenant_id) select ${benchMemberSql("t", "k")}, ${benchTenantSql("t")} ${members}`, [s.tenants]);
    await c.query("commit");
  });

  // Per tenant: created over the last year, created by any member, assigned to an employee
  // (every 10th to nobody), statuses and due dates mixed, about 1% soft-deleted. `m` holds each
  // tenant's id and its five members (materialized: computed once per tenant, not per task).
  const tasks = (m: string) => `
    with m as materialized (${m})
    insert into public.tasks (tenant_id, title, description, status, assigned_to, created_by, due_at, deleted_at, created_at)
    select m.tenant, 'Task ' || i, case when i % 3 = 0 then 'Details of task ' || i end,
      (array['open', 'in_progress', 'blocked', 'done', 'cancelled'])[1 + i % 5]::public.task_status,
      case when i % 10 = 0 then null else m.members[2 + i % 4] end,
      m.members[1 + (i / 7) % 5],
      case when i % 4 = 0 then null else now() + make_interval(days => (i % 60) - 20) end,
      case when i % 97 = 0 then now() - interval '1 day' end,
      now() - make_interval(secs => ($2::int - i) * 31536000.0 / $2::int)
    from m, generate_series(1, $2::int) i`;
  const generated = `select ${benchTenantSql("t")} as tenant,
      array[${Array.from({ length: MEMBERS_PER_TENANT }, (_, k) => benchMemberSql("t", String(k + 1))).join(", ")}] as members
    from generate_series($1::int, $3::int) t`;
  // Slices of tenants in parallel, one transaction each (the table lock of `disable trigger`
  // would serialise them, so the triggers go off before and come back after, whatever happens).
  await withClient((c) => c.query("alter table public.tasks disable trigger user"));
  let inserted: number;
  try {
    const per = Math.ceil(s.tenants / parallel);
    const slices = Array.from({ length: parallel }, (_, i) => [i * per + 1, Math.min(s.tenants, (i + 1) * per)] as const).filter(([lo, hi]) => lo <= hi);
    const counts = await Promise.all([
      ...slices.map(([lo, hi]) => withClient((c) => c.query(tasks(generated), [lo, s.tasksPerTenant, hi]))),
      withClient((c) => c.query(tasks("select $1::uuid as tenant, $3::uuid[] as members"), [s.extra.tenantId, s.tasksPerTenant, s.extra.memberIds])),
    ]);
    inserted = counts.reduce((a, r) => a + (r.rowCount ?? 0), 0);
  } finally {
    await withClient((c) => c.query("alter table public.tasks enable trigger user"));
  }
  // Vacuumed and analysed, as autovacuum would leave them after a bulk insert.
  await withClient((c) => c.query("vacuum (analyze) public.tasks, public.memberships, public.tenants, public.user_settings"));
  return { tenants: s.tenants, members: s.tenants * MEMBERS_PER_TENANT, tasks: inserted, seconds: (performance.now() - started) / 1000 };
}
