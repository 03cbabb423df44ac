// The statements of the RLS ratio table, taken from the Worker's own query functions (in the
// bench's snapshot of functions/) and written as pgbench script commands, each in two forms:
// - with RLS: exactly the Worker's statement, run as `authenticated` after the Worker's
//   set_config() of role and claims, so its policies (and helpers) filter;
// - without RLS: the same statement run as the table owner (`postgres`, which bypasses RLS) with
//   the filters the policies would add written out: the tenant, live rows, and for an employee
//   what they may see (tasks assigned to or created by them; events they own or attend).
// A check before timing runs both forms for an owner and an employee and requires the same rows.
//
// pgbench cannot send a NULL parameter, so the statement's parameters are inlined as literals
// (typed NULLs; the server plans an unnamed statement with its parameter values anyway), and it
// reads ":name" as a variable even inside quotes, so string literals holding ':' are written as
// U&'…' escapes: the same constants.
import { join } from "node:path";
import type * as CalendarQueries from "../../functions/routes/calendar/queries.ts";
import type * as CalendarSchema from "../../functions/routes/calendar/schema.ts";
import type * as TaskQueries from "../../functions/routes/tasks/queries.ts";
import type { Queue } from "../../shared/db/tx.ts";
import type * as Pagination from "../../shared/schemas/pagination.ts";
import { ACME, EVE, OLIVIA } from "./config.ts";
import { benchMemberSql, benchTenantSql } from "./seed-tenants.ts";

interface Captured {
  text: string;
  values: unknown[];
}

async function capture(run: (q: Queue) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  const rows = (text: string, values: unknown[] = []) => {
    captured = { text, values };
    return Promise.resolve([]);
  };
  await run({ rows, one: (text, values) => rows(text, values).then(() => undefined) } as Queue);
  if (!captured) throw new Error("the query function issued no statement");
  return captured;
}

const quote = (s: string) => (s.includes(":") ? `U&'${s.replace(/\\/g, "\\\\").replace(/'/g, "''").replace(/:/g, "\\003A")}'` : `'${s.replace(/'/g, "''")}'`);

/** `text` with each string literal holding ':' rewritten as a U&'' escape (pgbench variables). */
function escapeColons(text: string): string {
  return text.replace(/'((?:[^']|'')*)'/g, (literal, body: string) => (body.includes(":") ? quote(body.replace(/''/g, "'")) : literal));
}

/** `$n` → the value as a literal; NULL takes the type of the statement's first `$n::type`. */
function inline({ text, values }: Captured): string {
  return escapeColons(text).replace(/\$(\d+)(?!\d)/g, (_, n: string) => {
    const v = values[Number(n) - 1];
    if (v === null || v === undefined) {
      const type = new RegExp(`\\$${n}::([a-z_.]+(?:\\[\\])?)`).exec(text)?.[1];
      if (!type) throw new Error(`no type for the NULL parameter $${n}`);
      return `NULL::${type}`;
    }
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return quote(typeof v === "string" ? v : JSON.stringify(v));
  });
}

function replaceOnce(text: string, find: string | RegExp, by: (match: string, ...groups: string[]) => string): string {
  let count = typeof find === "string" ? text.split(find).length - 1 : 0;
  const out = text.replace(find, (...args: string[]) => {
    if (typeof find !== "string") count++;
    return by(args[0]!, ...args.slice(1));
  });
  if (count !== 1) throw new Error(`the statement no longer has the shape the bench rewrites (${String(find)} matched ${count}×)`);
  return out;
}

export interface Case {
  key: string;
  label: string;
  /** pgbench meta-commands before the transaction (e.g. \set t random(…)). */
  setup: string[];
  /** SQL for the tenant and user ids (may use the variables of `setup`). */
  tenant: string;
  user: string;
  withRls: string;
  withoutRls: string;
}

/** The four cases: GET /v1/tasks' first page and GET /v1/calendar's week, for an owner and an employee. */
export async function rlsCases(apiDir: string, tenants: number, week: { from: Date; to: Date }): Promise<Case[]> {
  const tasks = (await import(join(apiDir, "functions/routes/tasks/queries.ts"))) as typeof TaskQueries;
  const calendar = (await import(join(apiDir, "functions/routes/calendar/queries.ts"))) as typeof CalendarQueries;
  const calendarSchema = (await import(join(apiDir, "functions/routes/calendar/schema.ts"))) as typeof CalendarSchema;
  const pagination = (await import(join(apiDir, "shared/schemas/pagination.ts"))) as typeof Pagination;

  const taskList = await capture((q) => tasks.listTasks(q, {}, { limit: pagination.DEFAULT_PAGE_SIZE, after: null }));
  const weekList = await capture((q) =>
    calendar.listCalendar(q, { from: week.from.toISOString(), to: week.to.toISOString(), limit: calendarSchema.MAX_CALENDAR_PAGE, after: null }),
  );

  const taskCase = (role: "owner" | "employee"): Case => {
    const tenant = benchTenantSql(":t");
    const user = benchMemberSql(":t", ":k");
    const visible = role === "owner" ? "" : ` and (assigned_to = ${user} or created_by = ${user})`;
    const owner = replaceOnce(taskList.text, /from public\.tasks\s+where ([\s\S]*?)\s+order by/, (_, where) =>
      `from public.tasks where tenant_id = ${tenant} and deleted_at is null${visible} and (${where}) order by`,
    );
    return {
      key: `tasks-${role}`,
      label: `GET /v1/tasks first page, ${role} (random tenant of ${tenants})`,
      setup: [`\\set t random(1, ${tenants})`, role === "owner" ? "\\set k 1" : "\\set k random(2, 5)"],
      tenant,
      user,
      withRls: inline(taskList),
      withoutRls: inline({ ...taskList, text: owner }),
    };
  };

  const calendarCase = (role: "owner" | "employee"): Case => {
    const tenant = `'${ACME}'::uuid`;
    const user = `'${role === "owner" ? OLIVIA.id : EVE.id}'::uuid`;
    const visible =
      role === "owner"
        ? ""
        : ` and (e.owner_id = ${user} or exists (select 1 from public.calendar_event_attendees a where a.tenant_id = e.tenant_id and a.event_id = e.id and a.user_id = ${user}))`;
    let owner = replaceOnce(weekList.text, "private.calendar_busy($1, $2)", () =>
      `(select e.id, e.starts_at, e.ends_at from public.calendar_events e where e.tenant_id = ${tenant} and e.cancelled_at is null ` +
        `and e.starts_at < $2 and e.starts_at > $1::timestamptz - interval '14 days' and e.ends_at > $1)`,
    );
    owner = replaceOnce(owner, "left join public.calendar_events e on e.id = b.id", (m) => `${m} and e.tenant_id = ${tenant}${visible}`);
    return {
      key: `calendar-${role}`,
      label: `GET /v1/calendar week (1,000 events), ${role}`,
      setup: [],
      tenant,
      user,
      withRls: inline(weekList),
      withoutRls: inline({ ...weekList, text: owner }),
    };
  };

  return [taskCase("owner"), taskCase("employee"), calendarCase("owner"), calendarCase("employee")];
}

/** The Worker's settings statement (shared/db/tx.ts), claims built from the case's ids. */
export function settingsSql(c: Case, asAuthenticated: boolean): string {
  const claims = `json_build_object('sub', ${c.user}, 'tenant_id', ${c.tenant}, 'role', 'authenticated')::text`;
  const role = asAuthenticated ? "set_config('role', 'authenticated', true), " : "";
  return `select ${role}set_config('request.jwt.claims', ${claims}, true), set_config('request.id', 'pgbench', true)`;
}

/** One pgbench script: the transaction the Worker sends, pipelined like the Worker's one flight. */
export function pgbenchScript(c: Case, withRls: boolean): string {
  return [...c.setup, "\\startpipeline", "begin;", `${settingsSql(c, withRls)};`, `${withRls ? c.withRls : c.withoutRls};`, "commit;", "\\endpipeline", ""].join("\n");
}
