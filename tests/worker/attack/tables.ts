// What a tenant owns, table by table, read through the harness's admin connection: a digest per
// public table (proof that no write crossed into it), its rows as text (to look for another
// tenant's ids in them) and the ids of its addressable rows. The tables come from pg_catalog, so
// a new table is covered without editing this file, or fails loudly if no rule says whose rows are whose.
import type { Client } from "pg";
import { withAdmin } from "../../support/db.ts";

/** Reference data every tenant reads and none writes: digested whole. */
const GLOBAL_TABLES = new Set(["plans"]);

export interface TableScope {
  table: string;
  /** A condition on alias `r` selecting the rows of tenant $1. */
  scope: string;
  /** The column that identifies a row to the API, if any. */
  idColumn: string | null;
}

// A per-person table (settings, user-level idempotency keys) belongs to a tenant when the person
// belongs to that tenant only; a person in several tenants is nobody's to digest.
const PERSON_ONLY_HERE = `r.user_id in (select m.user_id from public.memberships m where m.tenant_id = $1)
  and not exists (select 1 from public.memberships o where o.user_id = r.user_id and o.tenant_id <> $1)`;

export async function tableScopes(c: Client): Promise<TableScope[]> {
  const { rows } = await c.query<{ table: string; columns: string[]; types: string[] }>(
    `select c.relname as table, array_agg(a.attname::text order by a.attnum) as columns, array_agg(format_type(a.atttypid, null) order by a.attnum) as types
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = 'public' and c.relkind in ('r', 'p')
     group by c.relname order by c.relname`,
  );
  return rows.map(({ table, columns, types }) => {
    const uuidId = types[columns.indexOf("id")] === "uuid" ? "id" : null;
    if (table === "tenants") return { table, scope: "r.id = $1", idColumn: "id" };
    if (table === "memberships") return { table, scope: "r.tenant_id = $1", idColumn: "user_id" };
    if (columns.includes("tenant_id")) return { table, scope: "r.tenant_id = $1", idColumn: uuidId };
    if (GLOBAL_TABLES.has(table)) return { table, scope: "$1::uuid is not null", idColumn: null };
    if (columns.includes("user_id")) return { table, scope: PERSON_ONLY_HERE, idColumn: null };
    throw new Error(`public.${table}: no rule says which tenant its rows belong to (tests/worker/attack/tables.ts)`);
  });
}

const scopes = (c: Client) => tableScopes(c);

/** md5 and row count of each public table's rows of one tenant. */
export async function digest(tenantId: string): Promise<Record<string, string>> {
  return withAdmin(async (c) => {
    const parts = (await scopes(c)).map(
      (s) => `select '${s.table}' as t, count(*) || ':' || md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) as d from public.${s.table} r where ${s.scope}`,
    );
    const { rows } = await c.query<{ t: string; d: string }>(parts.join(" union all "), [tenantId]);
    return Object.fromEntries(rows.map((r) => [r.t, r.d]));
  });
}

/** Tables whose digest differs, with both values. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t} (${before[t] ?? "absent"} → ${after[t] ?? "absent"})`);
}

/** Every row of one tenant as text, by table. */
export async function rowsText(tenantId: string): Promise<{ table: string; text: string }[]> {
  return withAdmin(async (c) => {
    const parts = (await scopes(c)).map((s) => `select '${s.table}' as table, r::text as text from public.${s.table} r where ${s.scope}`);
    return (await c.query<{ table: string; text: string }>(parts.join(" union all "), [tenantId])).rows;
  });
}

/** The ids a route could address, by table (members by user id). */
export async function idsByTable(tenantId: string): Promise<Record<string, string[]>> {
  return withAdmin(async (c) => {
    const parts = (await scopes(c))
      .filter((s) => s.idColumn)
      .map((s) => `select '${s.table}' as table, r.${s.idColumn}::text as id from public.${s.table} r where ${s.scope}`);
    const byTable: Record<string, string[]> = {};
    for (const row of (await c.query<{ table: string; id: string }>(parts.join(" union all "), [tenantId])).rows) (byTable[row.table] ??= []).push(row.id);
    return byTable;
  });
}

/** Tables a tenant owns (everything but global reference data and per-person tables). */
export async function tenantTables(): Promise<string[]> {
  return withAdmin(async (c) => (await scopes(c)).filter((s) => s.scope === "r.tenant_id = $1" || s.table === "tenants").map((s) => s.table));
}
