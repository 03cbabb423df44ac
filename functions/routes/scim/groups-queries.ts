// scim_groups and scim_group_members as office_scim, bound by RLS to the token's tenant. Member
// changes recompute each member's role and department in the same transaction (triggers).
import type { Queue } from "../../../shared/db/tx.ts";
import { FilterSql, type AttributeMap } from "../../lib/scim/filter-sql.ts";
import type { ListQuery } from "../../lib/scim/list-query.ts";

const TENANT = "(select private.scim_tenant())";

export interface GroupRow {
  id: string;
  displayName: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  members?: { value: string; display: string }[];
}

export const GROUP_ATTRIBUTES: AttributeMap = {
  scalars: {
    id: { sql: "g.id::text", type: "id", caseExact: true },
    displayname: { sql: "g.display_name", type: "string", caseExact: false },
    externalid: { sql: "g.external_id", type: "string", caseExact: true },
    "meta.created": { sql: "g.created_at", type: "datetime", caseExact: false },
    "meta.lastmodified": { sql: "g.updated_at", type: "datetime", caseExact: false },
  },
  multis: {
    members: {
      from: "public.scim_group_members m join public.scim_users mu on mu.tenant_id = m.tenant_id and mu.id = m.scim_user_id",
      where: "m.tenant_id = g.tenant_id and m.group_id = g.id",
      subs: {
        value: { sql: "m.scim_user_id::text", type: "id", caseExact: true },
        display: { sql: "coalesce(mu.display_name, mu.user_name)", type: "string", caseExact: false },
      },
    },
  },
};

const MEMBERS = `coalesce((select jsonb_agg(jsonb_build_object('value', m.scim_user_id, 'display', coalesce(mu.display_name, mu.user_name)) order by m.created_at, m.scim_user_id)
  from public.scim_group_members m join public.scim_users mu on mu.tenant_id = m.tenant_id and mu.id = m.scim_user_id
  where m.tenant_id = g.tenant_id and m.group_id = g.id), '[]'::jsonb) as members`;
const GROUP = (withMembers: boolean) =>
  `g.id, g.display_name as "displayName", g.external_id as "externalId", g.created_at as "createdAt", g.updated_at as "updatedAt"${withMembers ? `, ${MEMBERS}` : ""}`;

/** The filter as SQL, built before the transaction (a refused filter never reaches the database). */
export function groupFilter(text: string | undefined) {
  const f = new FilterSql(GROUP_ATTRIBUTES, []);
  return { where: f.where(text), values: f.values };
}

export function listGroups(q: Queue, query: ListQuery, filter: { where: string; values: unknown[] }, withMembers: boolean) {
  const { where, values } = filter;
  const page = q.rows<GroupRow>(
    `select ${GROUP(withMembers)} from public.scim_groups g where g.tenant_id = ${TENANT} and ${where}
     order by g.created_at, g.id offset $${values.length + 1} limit $${values.length + 2}`,
    [...values, query.startIndex - 1, query.count],
  );
  const total = q.one<{ n: number }>(`select count(*)::int as n from public.scim_groups g where g.tenant_id = ${TENANT} and ${where}`, values);
  return Promise.all([page, total]).then(([rows, t]) => ({ rows, total: t?.n ?? 0 }));
}

export const getGroup = (q: Queue, id: string, withMembers: boolean) =>
  q.one<GroupRow>(`select ${GROUP(withMembers)} from public.scim_groups g where g.tenant_id = ${TENANT} and g.id = $1`, [id]);

/** A taken displayName is 23505 (409 uniqueness); a member who does not exist (yet) is 23503 (404). */
export function insertGroup(q: Queue, id: string, displayName: string, externalId: string | null, members: string[]) {
  return Promise.all([
    q.one(`insert into public.scim_groups (tenant_id, id, display_name, external_id) values (${TENANT}, $1, $2, $3)`, [id, displayName, externalId]),
    groupWrites.add(q, id, members),
  ]);
}

/** Statements of a group change, queued in order in one flight. */
export const groupWrites = {
  exists: (q: Queue, id: string) => q.one<{ found: boolean }>(`select exists (select 1 from public.scim_groups g where g.tenant_id = ${TENANT} and g.id = $1) as found`, [id]),
  rename: (q: Queue, id: string, displayName: string) =>
    q.rows(`update public.scim_groups g set display_name = $2 where g.tenant_id = ${TENANT} and g.id = $1 and g.display_name is distinct from $2 returning 1`, [id, displayName]),
  setExternalId: (q: Queue, id: string, externalId: string | null) =>
    q.rows(`update public.scim_groups g set external_id = $2 where g.tenant_id = ${TENANT} and g.id = $1 and g.external_id is distinct from $2 returning 1`, [id, externalId]),
  add: (q: Queue, id: string, members: string[]) =>
    q.rows(
      `insert into public.scim_group_members (tenant_id, group_id, scim_user_id)
       select ${TENANT}, $1, v from unnest($2::uuid[]) v on conflict do nothing returning 1`,
      [id, members],
    ),
  remove: (q: Queue, id: string, members: string[] | null) =>
    q.rows(
      `delete from public.scim_group_members m where m.tenant_id = ${TENANT} and m.group_id = $1 and ($2::uuid[] is null or m.scim_user_id = any($2::uuid[])) returning 1`,
      [id, members],
    ),
  /** Everyone not in `members` leaves (the additions are a separate statement after it). */
  keepOnly: (q: Queue, id: string, members: string[]) =>
    q.rows(`delete from public.scim_group_members m where m.tenant_id = ${TENANT} and m.group_id = $1 and m.scim_user_id <> all($2::uuid[]) returning 1`, [id, members]),
};

export const deleteGroup = (q: Queue, id: string) =>
  q.one<{ id: string }>(`delete from public.scim_groups g where g.tenant_id = ${TENANT} and g.id = $1 returning g.id`, [id]);
