// The calendar of a busy week: 1,000 events answered by one statement whose plan reads the
// week through calendar_events_tenant_starts_idx, on both the busy side and the details side.
import { beforeAll, describe, expect, it } from "vitest";
import type { Queue } from "../../../shared/db/tx.ts";
import { listCalendar } from "../../../functions/routes/calendar/queries.ts";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";
import { calendar, WEEK } from "./helpers.ts";

let t: SeededTenant;
beforeAll(async () => {
  const [mine, other] = await Promise.all([seedTenant(), seedTenant()]);
  t = mine;
  const owners = [t.owner.id, t.manager.id, t.employee.id, t.colleague.id];
  await withAdmin(async (c) => {
    // 1,000 events in the week, a year of other events around it, and another tenant's week.
    await c.query(
      `insert into public.calendar_events (tenant_id, kind, title, notes, starts_at, ends_at, owner_id)
       select $1, (array['meeting', 'call', 'reminder', 'blocked'])[1 + g % 4]::public.calendar_event_kind, 'Event ' || g, 'notes ' || g,
              $2::timestamptz + g * interval '10 minutes', $2::timestamptz + g * interval '10 minutes' + interval '25 minutes', ($3::uuid[])[1 + g % 4]
       from generate_series(0, 999) g`,
      [t.id, WEEK.from, owners],
    );
    await c.query(
      `insert into public.calendar_events (tenant_id, kind, title, starts_at, ends_at, owner_id)
       select $1, 'blocked', 'Elsewhere ' || g, s, s + interval '1 hour', $3
       from generate_series(1, 5000) g, lateral (select $2::timestamptz - interval '200 days' + g * interval '83 minutes' as s) x
       where s + interval '1 hour' <= $2::timestamptz - interval '1 day' or s >= $4::timestamptz`,
      [t.id, WEEK.from, t.colleague.id, WEEK.to],
    );
    await c.query(
      `insert into public.calendar_events (tenant_id, kind, title, starts_at, ends_at, owner_id)
       select $1, 'meeting', 'Other tenant ' || g, $2::timestamptz + g * interval '9 minutes', $2::timestamptz + g * interval '9 minutes' + interval '5 minutes', $3
       from generate_series(0, 999) g`,
      [other.id, WEEK.from, other.employee.id],
    );
    await c.query(
      `insert into public.calendar_event_attendees (tenant_id, event_id, user_id)
       select tenant_id, id, $2 from public.calendar_events where tenant_id = $1 and owner_id <> $2 and title like 'Event %' and right(title, 1) = '7'`,
      [t.id, t.employee.id],
    );
    await c.query("analyze public.calendar_events, public.calendar_event_attendees, public.appointments");
  });
});

/** The statement GET /v1/calendar sends, captured from the route's own query function. */
function calendarStatement(): { text: string; values: unknown[] } {
  let captured = { text: "", values: [] as unknown[] };
  const q: Queue = {
    rows: async (text, values) => ((captured = { text, values: values ?? [] }), []),
    one: async () => undefined,
  };
  void listCalendar(q, { from: WEEK.from, to: WEEK.to, limit: 1000, after: null });
  return captured;
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("GET /v1/calendar with 1,000 events in a week", () => {
  it("answers the whole week on one page, details only where the caller may see them", async () => {
    const token = await t.employee.token();
    await calendar(token, { from: WEEK.from, to: "2030-01-07T00:01:00Z" }); // the isolate's first request starts it up
    const page = await calendar(token);
    expect(page.data).toHaveLength(1000);
    expect(page.nextCursor).toBeNull();
    const visible = page.data.filter((e) => !e.busy);
    // Own events (every 4th) and attended ones (g ending in 7, never the employee's own).
    expect(visible.every((e) => e.ownerId === t.employee.id || e.attendees?.includes(t.employee.id))).toBe(true);
    expect(visible.length).toBe(250 + 100);
    expect(page.data.filter((e) => e.busy).every((e) => Object.keys(e).length === 6)).toBe(true);
  });

  it("reads the week through calendar_events_tenant_starts_idx, never a scan of the tenant's events", async () => {
    const { text, values } = calendarStatement();
    const claims = { sub: t.employee.id, role: "authenticated", tenant_id: t.id };
    const plan = await asAuthenticated(claims, async (c) => (await c.query(`explain (format json) ${text}`, values)).rows[0]["QUERY PLAN"][0].Plan as PlanNode);
    const all = nodes(plan);
    const onEvents = all.filter((n) => n["Relation Name"] === "calendar_events");
    expect(onEvents.filter((n) => n["Node Type"] === "Seq Scan")).toEqual([]);
    expect(all.some((n) => n["Index Name"] === "calendar_events_tenant_starts_idx")).toBe(true);

    // Inside private.calendar_busy(): its query, planned generically with parameters, as plpgsql
    // caches it.
    const body = await withAdmin(async (c) => {
      const src = (await c.query("select prosrc from pg_proc where oid = 'private.calendar_busy(timestamptz, timestamptz)'::regprocedure")).rows[0].prosrc as string;
      await c.query("begin");
      try {
        await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
        await c.query("set local role app_private");
        const query = /return query\s+([\s\S]*?);\s*end/i.exec(src)![1]!;
        const sql = query.replace(/\bp_from\b/g, "$1::timestamptz").replace(/\bp_to\b/g, "$2::timestamptz").replace(/\btenant\b/g, "$3::uuid");
        return (await c.query(`explain (format json, generic_plan) ${sql}`)).rows[0]["QUERY PLAN"][0].Plan as PlanNode;
      } finally {
        await c.query("rollback");
      }
    });
    // An index (only) scan, or a bitmap heap scan over a bitmap index scan: both read the week
    // through the index; which one the planner picks depends on statistics. A seq scan never.
    const inBody = nodes(body);
    expect(inBody.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "calendar_events")).toEqual([]);
    expect(inBody.some((n) => n["Index Name"] === "calendar_events_tenant_starts_idx")).toBe(true);
  });
});
