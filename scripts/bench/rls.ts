// What RLS costs inside Postgres, on the bench's database (1,000 tenants × 1,000 tasks, acme's
// 1,000-event week): the ratio table (pgbench throughput of each statement with RLS ÷ the same
// statement without, see rls-statements.ts) and the per-call cost of the policy helpers.
// Straight to Postgres (no pooler, no proxy): this measures the database, not the path to it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { ACME, OLIVIA } from "./config.ts";
import { pgbenchScript, settingsSql, type Case } from "./rls-statements.ts";
import { stopping } from "./runtime.ts";
import type { Database } from "./stack.ts";

export const PGBENCH_HINT = "apt-get install postgresql-client (Debian's pgbench)";

export function findPgbench(): string | undefined {
  return [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/usr/lib/postgresql/17/bin"]
    .filter((d) => d.startsWith("/"))
    .map((d) => join(d, "pgbench"))
    .find((p) => existsSync(p));
}

export interface RlsRow {
  key: string;
  label: string;
  rows: number;
  /** Transactions per second with RLS and without, and their ratio. */
  withTps: number;
  withoutTps: number;
  ratio: number;
  withLatencyMs: number;
  withoutLatencyMs: number;
  /** The scans each form's plan uses (EXPLAIN), where a ratio comes from different plans. */
  plans: { with: string; without: string };
}

interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

function runPgbench(binary: string, script: string, url: string, seconds: number, clients: number): Promise<PgbenchResult> {
  const args = ["-n", "-M", "extended", "-c", String(clients), "-j", String(clients), "-T", String(seconds), "-f", script, url];
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: (seconds + 30) * 1000, signal: stopping.signal, env: { ...process.env, PGCONNECT_TIMEOUT: "10" } }, (error, stdout, stderr) => {
      const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
      const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
      const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
      if (error || !tps || !latency || failed > 0) {
        reject(new Error(`pgbench ${args.slice(0, -1).join(" ")} failed: ${(stderr || stdout || String(error)).trim().split("\n").slice(-5).join(" | ")}`));
      } else {
        resolve({ tps: Number(tps), latencyMs: Number(latency) });
      }
    });
  });
}

/** `:name` pgbench variables (not `::type` casts) replaced by numbers, for running a case from node. */
const bind = (sql: string, vars: Record<string, number>) => sql.replace(/(?<!:):([a-z]+)\b/g, (m, name: string) => (name in vars ? String(vars[name]) : m));

/** The rows of the last statement, in a transaction rolled back; and its plan's scans. */
async function rowsOf(url: string, statements: string[]): Promise<{ rows: unknown[]; plan: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    for (const s of statements.slice(0, -1)) await client.query(s);
    const last = statements.at(-1)!;
    const rows = (await client.query(last)).rows;
    const plan = (await client.query<{ "QUERY PLAN": string }>(`explain (costs off) ${last}`)).rows.map((r) => r["QUERY PLAN"]);
    const scans = plan
      .map((line) => /(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Function Scan)(?: Backward)? (?:using (\S+) )?on (\S+)/.exec(line))
      .filter((m) => m !== null)
      .map((m) => (m[2] ? `${m[2]}` : `${m[1]!.toLowerCase()} on ${m[3]}`));
    return { rows, plan: [...new Set(scans)].join(", ") };
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}

/** Both forms of a case must return the same rows (for tenant 1; member 1 is the owner, 2 an employee). */
async function sameRows(db: Database, c: Case): Promise<{ rows: number; plans: RlsRow["plans"] }> {
  const vars = { t: 1, k: c.key.endsWith("owner") ? 1 : 2 };
  const withRls = await rowsOf(db.apiUrl, [bind(settingsSql(c, true), vars), bind(c.withRls, vars)]);
  const withoutRls = await rowsOf(db.adminUrl, [bind(settingsSql(c, false), vars), bind(c.withoutRls, vars)]);
  if (JSON.stringify(withRls.rows) !== JSON.stringify(withoutRls.rows)) {
    throw new Error(`${c.label}: with RLS ${withRls.rows.length} rows, without ${withoutRls.rows.length}, or different ones: the owner form no longer says what the policies say`);
  }
  if (withRls.rows.length === 0) throw new Error(`${c.label}: no rows; the data the bench seeded is not what the statement reads`);
  return { rows: withRls.rows.length, plans: { with: withRls.plan, without: withoutRls.plan } };
}

/** pgbench with and then without RLS for each case, `seconds` each. */
export async function rlsTable(db: Database, binary: string, cases: Case[], work: string, seconds: number, clients: number, onCase: (label: string) => void): Promise<RlsRow[]> {
  const out: RlsRow[] = [];
  for (const c of cases) {
    stopping.signal.throwIfAborted();
    onCase(c.label);
    const { rows, plans } = await sameRows(db, c);
    const scripts = { with: join(work, `${c.key}-rls.sql`), without: join(work, `${c.key}-owner.sql`) };
    await writeFile(scripts.with, pgbenchScript(c, true));
    await writeFile(scripts.without, pgbenchScript(c, false));
    const withRls = await runPgbench(binary, scripts.with, db.apiUrl, seconds, clients);
    const withoutRls = await runPgbench(binary, scripts.without, db.adminUrl, seconds, clients);
    out.push({
      key: c.key,
      label: c.label,
      rows,
      withTps: withRls.tps,
      withoutTps: withoutRls.tps,
      ratio: withRls.tps / withoutRls.tps,
      withLatencyMs: withRls.latencyMs,
      withoutLatencyMs: withoutRls.latencyMs,
      plans,
    });
  }
  return out;
}

export interface HelperCost {
  helper: string;
  /** Microseconds per call, net of the same statement without the call. */
  perCallUs: number;
}

export const HELPERS = ["private.current_tenant()", "private.has_permission('tasks.read_all')", "private.current_user_id()"];

/**
 * Each helper called `calls` times in one statement (`count(helper) from generate_series`), as
 * `authenticated` with Olivia's claims in acme; after a first call, so plpgsql's cached plans are
 * in use, as on a pooled connection. Server-side execution time (EXPLAIN ANALYZE, timing off),
 * median of three, minus the same statement counting a constant.
 */
export async function helperCosts(db: Database, calls: number): Promise<HelperCost[]> {
  const client = new pg.Client({ connectionString: db.apiUrl });
  await client.connect();
  try {
    await client.query("begin");
    await client.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ sub: OLIVIA.id, tenant_id: ACME, role: "authenticated" }),
    ]);
    const time = async (expr: string) => {
      await client.query(`select ${expr}`);
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const plan = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, timing off, costs off) select count(${expr}) from generate_series(1, ${calls})`);
        const line = plan.rows.map((r) => r["QUERY PLAN"]).find((l) => l.startsWith("Execution Time"));
        ms.push(Number(/([\d.]+) ms/.exec(line ?? "")?.[1]));
      }
      return ms.sort((a, b) => a - b)[1]!;
    };
    const base = await time("1");
    const out: HelperCost[] = [];
    for (const helper of HELPERS) out.push({ helper, perCallUs: (((await time(helper)) - base) / calls) * 1000 });
    return out;
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}
