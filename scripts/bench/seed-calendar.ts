// Calendar data for `npm run bench`: `count` events over one week in a tenant, written through
// the admin (owner) connection before anything is measured. Kinds cycle meeting, call, reminder,
// blocked (meetings and calls become appointments through the sync trigger, as in production);
// owners cycle over the given members; every `attendEvery`-th event has the caller as attendee,
// so the caller sees some as their own (and on the dashboard) and the calendar mixes cases, and
// every meeting and call also has the next of those members as attendee (meetings have people in
// them; with a near-empty attendee table the planner picks plans no real calendar would get).
// Durations 15-90 minutes, starts spread evenly over [from, to) with no event crossing `to`.
import pg from "pg";

export interface CalendarSeed {
  tenantId: string;
  ownerIds: string[];
  callerId: string;
  from: Date;
  to: Date;
  count: number;
  attendEvery: number;
}

export async function seedCalendar(adminUrl: string, s: CalendarSeed): Promise<{ events: number; attended: number; attendees: number; appointments: number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("begin");
    // The last start leaves room for the longest event (90 minutes) before `to`.
    const slotSeconds = ((s.to.getTime() - s.from.getTime()) / 1000 - 90 * 60) / s.count;
    const events = await client.query<{ id: string; i: number }>(
      `insert into public.calendar_events (tenant_id, kind, title, notes, location, guests, starts_at, ends_at, owner_id)
       select $1::uuid,
         (array['meeting', 'call', 'reminder', 'blocked'])[1 + i % 4]::public.calendar_event_kind,
         'Bench event ' || i,
         case when i % 3 = 0 then 'Notes for bench event ' || i end,
         case when i % 5 = 0 then 'Room ' || (1 + i % 7) end,
         case when i % 4 = 0 then jsonb_build_array(jsonb_build_object('email', 'guest' || i || '@example.test', 'name', 'Guest ' || i)) else '[]'::jsonb end,
         $2::timestamptz + make_interval(secs => floor(i * $3::float8)),
         $2::timestamptz + make_interval(secs => floor(i * $3::float8)) + make_interval(mins => 15 * (1 + i % 6)),
         ($4::uuid[])[1 + i % cardinality($4::uuid[])]
       from generate_series(0, $5::int - 1) i
       returning id, (regexp_replace(title, '\\D', '', 'g'))::int as i`,
      [s.tenantId, s.from.toISOString(), slotSeconds, s.ownerIds, s.count],
    );
    const last = await client.query<{ ends: Date }>(
      "select max(ends_at) as ends from public.calendar_events where tenant_id = $1 and title like 'Bench event %'",
      [s.tenantId],
    );
    if (last.rows[0]!.ends.getTime() > s.to.getTime()) throw new Error("seedCalendar: an event ends after the range; shorten the durations");
    const attendedIds = events.rows.filter((r) => r.i % s.attendEvery === 0).map((r) => r.id);
    const callerAttends = await client.query(
      `insert into public.calendar_event_attendees (tenant_id, event_id, user_id)
       select $1::uuid, e, $2::uuid from unnest($3::uuid[]) e`,
      [s.tenantId, s.callerId, attendedIds],
    );
    const colleagues = await client.query(
      `insert into public.calendar_event_attendees (tenant_id, event_id, user_id)
       select e.tenant_id, e.id, ($2::uuid[])[1 + (array_position($2::uuid[], e.owner_id) % cardinality($2::uuid[]))]
       from public.calendar_events e
       where e.tenant_id = $1::uuid and e.id = any ($3::uuid[]) and e.kind in ('meeting', 'call')
       on conflict do nothing`,
      [s.tenantId, s.ownerIds, events.rows.map((r) => r.id)],
    );
    const appointments = await client.query<{ n: number }>(
      "select count(*)::int as n from public.appointments a join unnest($1::uuid[]) e on a.event_id = e where a.tenant_id = $2",
      [events.rows.map((r) => r.id), s.tenantId],
    );
    await client.query("commit");
    // Vacuumed and analysed, as autovacuum would leave them: without statistics the planner
    // misjudges the week.
    await client.query("vacuum (analyze) public.calendar_events, public.calendar_event_attendees, public.appointments");
    return {
      events: events.rowCount ?? 0,
      attended: callerAttends.rowCount ?? 0,
      attendees: (callerAttends.rowCount ?? 0) + (colleagues.rowCount ?? 0),
      appointments: appointments.rows[0]!.n,
    };
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}
