// Digests of every table in `public`, per tenant, read with the harness's owner connection in one
// statement: md5 over the sorted JSON of the tenant's rows (rows with a tenant_id; the tenant row
// itself; per-person rows by the tenant their person belongs to; global tables as "global").
// Excluded, because signed jobs that other test files may trigger at any moment act on every
// tenant: usage_daily (usage-flush), reminder_deliveries and notification_deliveries (the reminder jobs) and the
// publishing columns of job_outbox (outbox-drain). Everything a request writes is covered.
import type { Client } from "pg";

export type Snapshot = Map<string, Map<string, string>>;

const JOB_WRITTEN_TABLES = new Set(["usage_daily", "reminder_deliveries", "notification_deliveries"]);
const JOB_WRITTEN_COLUMNS: Record<string, string[]> = { job_outbox: ["published_at", "message_id"] };

export interface DigestScope {
  tenantIds: string[];
  /** Per-person rows count for this person's tenant. */
  users: { id: string; tenantId: string }[];
}

export class TableDigests {
  private constructor(
    private readonly sql: string,
    readonly tables: string[],
  ) {}

  /** Reads the catalog once and prepares the digest statement. */
  static async prepare(admin: Client): Promise<TableDigests> {
    const { rows } = await admin.query<{ table_name: string; columns: string[] }>(
      `select c.table_name, array_agg(c.column_name::text order by c.ordinal_position) as columns
       from information_schema.columns c
       join information_schema.tables t using (table_schema, table_name)
       where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
       group by c.table_name order by c.table_name`,
    );
    const parts: string[] = [];
    const tables: string[] = [];
    for (const { table_name: table, columns } of rows) {
      if (JOB_WRITTEN_TABLES.has(table)) continue;
      const name = `'${table}'`;
      const row = `(to_jsonb(t)${(JOB_WRITTEN_COLUMNS[table] ?? []).map((c) => ` - '${c}'`).join("")})::text`;
      const from = `public.${quoteIdent(table)} t`;
      if (columns.includes("tenant_id")) parts.push(`select ${name}, t.tenant_id::text, ${row} from ${from} where t.tenant_id = any($1::uuid[])`);
      else if (table === "tenants") parts.push(`select ${name}, t.id::text, ${row} from ${from} where t.id = any($1::uuid[])`);
      else if (columns.includes("user_id")) parts.push(`select ${name}, u.tid::text, ${row} from ${from} join unnest($2::uuid[], $3::uuid[]) as u (uid, tid) on u.uid = t.user_id`);
      else parts.push(`select ${name}, 'global', ${row} from ${from}`);
      tables.push(table);
    }
    const sql = `select name, key, md5(string_agg(r, E'\\n' order by r)) as digest
                 from (${parts.join("\n union all ")}) as s (name, key, r) group by name, key`;
    return new TableDigests(sql, tables);
  }

  async take(admin: Client, scope: DigestScope): Promise<Snapshot> {
    const { rows } = await admin.query<{ name: string; key: string; digest: string }>(this.sql, [
      scope.tenantIds,
      scope.users.map((u) => u.id),
      scope.users.map((u) => u.tenantId),
    ]);
    const snapshot: Snapshot = new Map();
    for (const r of rows) {
      if (!snapshot.has(r.key)) snapshot.set(r.key, new Map());
      snapshot.get(r.key)!.set(r.name, r.digest);
    }
    return snapshot;
  }
}

/** Tables whose digest for `key` differs between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot, key: string): string[] {
  const a = before.get(key) ?? new Map<string, string>();
  const b = after.get(key) ?? new Map<string, string>();
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t)).sort();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
