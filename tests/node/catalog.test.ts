// Reads pg_catalog and fails if any table in `public` breaks the data rules (DESIGN.md): RLS
// enabled and forced; tenant_id not null with an FK to tenants (or, for documented global tables,
// the reason and what keys their RLS); a policy per operation for `authenticated`; no grant to
// anon; references between tenant tables composite; security-definer functions pinned.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/** Tables without tenant_id, each with the reason and the column its RLS keys on instead. */
const GLOBAL_TABLES: Record<string, { reason: string; keyedBy: string | null }> = {
  tenants: { reason: "it is the tenant itself", keyedBy: null },
  user_settings: { reason: "per person across tenants (the active tenant is one of them)", keyedBy: "user_id" },
  user_idempotency_keys: { reason: "keys of user-level routes, per person", keyedBy: "user_id" },
  plans: { reason: "the price list: reference data every tenant reads, written only by migrations", keyedBy: null },
};

const OPERATIONS = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;

let client: pg.Client;
let tables: string[] = [];
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  tables = (await client.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
  )).rows.map((r) => r.relname);
});
afterAll(() => client.end());

const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<T>(text, values)).rows;

describe("catalog rules for every table in public", () => {
  it("finds the tables (guards against an empty catalog)", () => {
    expect(tables).toEqual(expect.arrayContaining(["tenants", "memberships", "user_settings", "audit_log", "idempotency_keys"]));
  });

  it("has RLS enabled and forced everywhere", async () => {
    const rows = await q<{ relname: string; on: boolean; forced: boolean }>(
      `select c.relname, c.relrowsecurity as on, c.relforcerowsecurity as forced from pg_class c
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p')`,
    );
    expect(rows.filter((r) => !r.on || !r.forced).map((r) => r.relname)).toEqual([]);
  });

  it("has tenant_id not null with an FK to tenants (on delete cascade), except documented global tables", async () => {
    const bad: string[] = [];
    for (const table of tables) {
      const global = GLOBAL_TABLES[table];
      if (global) {
        if (global.keyedBy) {
          const col = await q<{ attnotnull: boolean }>(
            `select attnotnull from pg_attribute where attrelid = $1::regclass and attname = $2 and not attisdropped`,
            [`public.${table}`, global.keyedBy],
          );
          if (!col[0]?.attnotnull) bad.push(`${table}: ${global.keyedBy} must be not null`);
        }
        continue;
      }
      const fk = await q<{ attnotnull: boolean; deltype: string | null }>(
        `select a.attnotnull,
                (select con.confdeltype from pg_constraint con
                 where con.conrelid = a.attrelid and con.contype = 'f' and con.confrelid = 'public.tenants'::regclass
                   and con.conkey = array[a.attnum]) as deltype
         from pg_attribute a where a.attrelid = $1::regclass and a.attname = 'tenant_id' and not a.attisdropped`,
        [`public.${table}`],
      );
      if (!fk[0]) bad.push(`${table}: no tenant_id`);
      else if (!fk[0].attnotnull) bad.push(`${table}: tenant_id is nullable`);
      else if (fk[0].deltype !== "c") bad.push(`${table}: tenant_id needs an FK to tenants on delete cascade`);
    }
    expect(bad).toEqual([]);
  });

  it("has a policy for each of select/insert/update/delete that applies to authenticated", async () => {
    const policies = await q<{ tablename: string; cmd: string; roles: string[] }>(
      `select tablename, cmd, roles from pg_policies where schemaname = 'public'`,
    );
    const missing: string[] = [];
    for (const table of tables) {
      for (const op of OPERATIONS) {
        const covered = policies.some(
          (p) => p.tablename === table && (p.cmd === op || p.cmd === "ALL") && (p.roles.includes("authenticated") || p.roles.includes("public")),
        );
        if (!covered) missing.push(`${table}.${op.toLowerCase()}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("grants anon nothing on any table or column", async () => {
    const tableGrants = await q<{ table_name: string; privilege_type: string }>(
      `select table_name, privilege_type from information_schema.role_table_grants where grantee = 'anon' and table_schema = 'public'`,
    );
    const columnGrants = await q<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.column_privileges where grantee = 'anon' and table_schema = 'public'`,
    );
    expect([...tableGrants, ...columnGrants]).toEqual([]);
  });

  it("makes every reference from one tenant table to another composite, through tenant_id", async () => {
    const fks = await q<{ conname: string; from_table: string; to_table: string; from_cols: string[]; to_cols: string[] }>(
      `select con.conname, src.relname as from_table, dst.relname as to_table,
              array(select attname from pg_attribute where attrelid = con.conrelid and attnum = any(con.conkey)) as from_cols,
              array(select attname from pg_attribute where attrelid = con.confrelid and attnum = any(con.confkey)) as to_cols
       from pg_constraint con
       join pg_class src on src.oid = con.conrelid join pg_namespace sn on sn.oid = src.relnamespace
       join pg_class dst on dst.oid = con.confrelid join pg_namespace dn on dn.oid = dst.relnamespace
       where con.contype = 'f' and sn.nspname = 'public' and dn.nspname = 'public' and dst.relname <> 'tenants'`,
    );
    const tenantTables = new Set(tables.filter((t) => !GLOBAL_TABLES[t]));
    const bad = fks
      .filter((fk) => tenantTables.has(fk.from_table) && tenantTables.has(fk.to_table))
      .filter((fk) => !fk.from_cols.includes("tenant_id") || !fk.to_cols.includes("tenant_id"))
      .map((fk) => fk.conname);
    expect(bad).toEqual([]);
  });

  it("gives every tenant table an index that leads with tenant_id", async () => {
    const missing: string[] = [];
    for (const table of tables.filter((t) => !GLOBAL_TABLES[t])) {
      const rows = await q(
        `select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
         where i.indrelid = $1::regclass and a.attname = 'tenant_id'`,
        [`public.${table}`],
      );
      if (rows.length === 0) missing.push(table);
    }
    expect(missing).toEqual([]);
  });

  it("pins search_path on every security-definer function, and none is executable by anon", async () => {
    const rows = await q<{ name: string; pinned: boolean; anon: boolean }>(
      `select n.nspname || '.' || p.proname as name,
              coalesce(exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%'), false) as pinned,
              has_function_privilege('anon', p.oid, 'execute') as anon
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname in ('public', 'private')`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => !r.pinned || r.anon).map((r) => r.name)).toEqual([]);
  });

  it("lets the API role do nothing but become authenticated (requests), office_jobs (signed jobs) or office_scim (SCIM requests): no superuser, no BYPASSRLS", async () => {
    const [role] = await q<{ rolsuper: boolean; rolbypassrls: boolean; rolinherit: boolean }>(
      `select rolsuper, rolbypassrls, rolinherit from pg_roles where rolname = 'office_api'`,
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolinherit: false });
    const memberOf = await q<{ rolname: string }>(
      `select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member where u.rolname = 'office_api'`,
    );
    expect(memberOf.map((r) => r.rolname).sort()).toEqual(["authenticated", "office_jobs", "office_scim"]);
    const roles = await q<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean }>(
      `select rolname, rolbypassrls, rolsuper from pg_roles where rolname in ('authenticated', 'office_jobs', 'office_scim', 'app_private') order by 1`,
    );
    expect(roles).toHaveLength(4);
    expect(roles.every((r) => !r.rolbypassrls && !r.rolsuper)).toBe(true);
    // The job role reaches data only through a few security-definer functions.
    const jobGrants = await q(`select 1 from information_schema.role_table_grants where grantee = 'office_jobs'`);
    expect(jobGrants).toEqual([]);
    const jobFunctions = await q<{ name: string }>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private') and has_function_privilege('office_jobs', p.oid, 'execute')
         and not has_function_privilege('public', p.oid, 'execute') order by 1`,
    );
    expect(jobFunctions.map((f) => f.name)).toEqual([
      "adhoc_reminder_context", "ai_budget_reserve", "ai_model_step_failed", "ai_model_step_finish", "ai_run_claim", "ai_run_start_job", "ai_worker_kind",
      "appointment_reminder_context", "claim_notification", "claim_webhook_attempt", "defer_reminder", "deliver_reminder",
      "destination_code_hash", "destination_to_verify", "digest_defer", "digest_due", "digest_failed", "digest_record", "emit_overdue_tasks",
      "finish_webhook_attempt", "follow_up_context", "invitation_emailed", "invitation_to_email", "notification_sent", "notification_skipped", "notification_target",
      "outbox_due", "outbox_published", "record_usage", "workflow_aggregate_tasks", "workflow_find_appointments", "workflow_handle_event",
      "workflow_refuse", "workflow_start_scheduled", "workflow_step_claim", "workflow_step_deferred", "workflow_step_failed", "workflow_step_succeeded",
      "workflow_tenant_plan", "workflow_webhook_start", "workflow_webhook_target",
    ]);
    // The SCIM role reaches only the directory tables, and RLS keys every row on its token's tenant.
    const scimTables = await q<{ table_name: string }>(
      `select distinct table_name from information_schema.role_table_grants where grantee = 'office_scim' order by 1`,
    );
    expect(scimTables.map((t) => t.table_name)).toEqual(["scim_group_members", "scim_groups", "scim_users"]);
    const scimFunctions = await q<{ name: string }>(
      `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'private') and has_function_privilege('office_scim', p.oid, 'execute')
         and not has_function_privilege('public', p.oid, 'execute') order by 1`,
    );
    expect(scimFunctions.map((f) => f.name)).toEqual(["scim_enter", "scim_tenant"]);
    const scimPolicies = await q<{ tablename: string; qual: string | null; with_check: string | null }>(
      `select tablename, qual, with_check from pg_policies where schemaname = 'public' and 'office_scim' = any(roles)`,
    );
    expect(scimPolicies.length).toBeGreaterThanOrEqual(11);
    expect(scimPolicies.filter((p) => ![p.qual, p.with_check].filter(Boolean).every((e) => e!.includes("scim_tenant()")))).toEqual([]);
  });

  it("is migrated by a postgres that, as on hosted Supabase, is no superuser and cannot become one", async () => {
    const [me] = await q<{ user: string; rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean }>(
      `select current_user as user, rolsuper, rolcreaterole, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(me).toEqual({ user: "postgres", rolsuper: false, rolcreaterole: true, rolbypassrls: true });
    const reachableSuperusers = await q<{ rolname: string }>(
      `select rolname from pg_roles where rolsuper and pg_has_role(current_user, oid, 'SET')`,
    );
    expect(reachableSuperusers).toEqual([]);
    const superusers = await q<{ rolname: string }>(`select rolname from pg_roles where rolsuper`);
    expect(superusers.map((r) => r.rolname)).toEqual(["supabase_admin"]);
    await client.query("begin");
    try {
      await expect(client.query("set local role supabase_admin")).rejects.toMatchObject({ code: "42501" });
    } finally {
      await client.query("rollback");
    }
    const applied = await q<{ version: string }>(`select version from supabase_migrations.schema_migrations order by 1`);
    expect(applied.length).toBeGreaterThan(10);
  });
});

