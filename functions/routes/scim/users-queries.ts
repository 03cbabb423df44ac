// scim_users as office_scim: every statement is bound by RLS to the presented token's tenant
// (private.scim_tenant()); the explicit tenant condition is meaning (and the index), not security.
import type { Queue } from "../../../shared/db/tx.ts";
import { SCHEMAS } from "../../lib/scim/constants.ts";
import { FilterSql, type AttributeMap, type ScalarAttr } from "../../lib/scim/filter-sql.ts";
import type { ListQuery } from "../../lib/scim/list-query.ts";
import type { ScalarPatch } from "../../lib/scim/patch.ts";
import { USER_SELECT, type UserColumns, type UserRow } from "../../lib/scim/user-resource.ts";

const TENANT = "(select private.scim_tenant())";
const str = (sql: string, caseExact = false): ScalarAttr => ({ sql, type: "string", caseExact });
const elements = (attr: string) => `jsonb_array_elements(case when jsonb_typeof(u.attributes -> '${attr}') = 'array' then u.attributes -> '${attr}' else '[]'::jsonb end) e`;
const multiValued = (attr: string) => ({
  from: elements(attr),
  subs: {
    value: str("e ->> 'value'"),
    type: str("e ->> 'type'"),
    display: str("e ->> 'display'"),
    primary: { sql: "(lower(e ->> 'primary') = 'true')", type: "boolean" as const, caseExact: false },
  },
});

export const USER_ATTRIBUTES: AttributeMap = {
  scalars: {
    id: { sql: "u.id::text", type: "id", caseExact: true },
    // The stored lower-case copy: an index condition under RLS (lower(user_name) would not be).
    username: { sql: "u.user_name_key", type: "string", caseExact: true, lowered: true },
    externalid: str("u.external_id", true),
    displayname: str("u.display_name"),
    active: { sql: "u.active", type: "boolean", caseExact: false },
    "meta.created": { sql: "u.created_at", type: "datetime", caseExact: false },
    "meta.lastmodified": { sql: "u.updated_at", type: "datetime", caseExact: false },
    title: str("(u.attributes ->> 'title')"),
    "name.givenname": str("(u.attributes #>> '{name,givenName}')"),
    "name.familyname": str("(u.attributes #>> '{name,familyName}')"),
    "name.formatted": str("(u.attributes #>> '{name,formatted}')"),
    [`${SCHEMAS.enterprise}:department`.toLowerCase()]: str("u.department"),
    [`${SCHEMAS.enterprise}:employeenumber`.toLowerCase()]: str(`(u.attributes #>> '{${SCHEMAS.enterprise},employeeNumber}')`),
  },
  multis: { emails: multiValued("emails"), phonenumbers: multiValued("phoneNumbers") },
};

/** The filter as SQL, built before the transaction (a refused filter never reaches the database). */
export function userFilter(text: string | undefined) {
  const f = new FilterSql(USER_ATTRIBUTES, []);
  return { where: f.where(text), values: f.values };
}

/** One page and the total, in the same flight (two statements). Sorted by creation. */
export function listUsers(q: Queue, query: ListQuery, filter: { where: string; values: unknown[] }) {
  const { where, values } = filter;
  const page = q.rows<UserRow>(
    `select ${USER_SELECT} from public.scim_users u where u.tenant_id = ${TENANT} and ${where}
     order by u.created_at, u.id offset $${values.length + 1} limit $${values.length + 2}`,
    [...values, query.startIndex - 1, query.count],
  );
  const total = q.one<{ n: number }>(`select count(*)::int as n from public.scim_users u where u.tenant_id = ${TENANT} and ${where}`, values);
  return Promise.all([page, total]).then(([rows, t]) => ({ rows, total: t?.n ?? 0 }));
}

export const getUser = (q: Queue, id: string) =>
  q.one<UserRow>(`select ${USER_SELECT} from public.scim_users u where u.tenant_id = ${TENANT} and u.id = $1`, [id]);

/** The user already holding this userName (case-insensitively) or externalId, if any. */
export const findUser = (q: Queue, c: UserColumns) =>
  q.one<UserRow>(
    `select ${USER_SELECT} from public.scim_users u
     where u.tenant_id = ${TENANT} and (u.user_name_key = lower($1) or u.external_id = $2)
     order by (u.user_name_key = lower($1)) desc limit 1`,
    [c.userName, c.externalId],
  );

/**
 * Inserts the user, or finds the one already holding this userName (or externalId, or person).
 * `created` says which; the membership and role follow from the row's triggers.
 */
export function insertUser(q: Queue, userId: string, c: UserColumns) {
  return q.one<UserRow & { created: boolean }>(
    `with ins as (
       insert into public.scim_users as u (tenant_id, user_id, user_name, external_id, active, display_name, email, department, attributes)
       values (${TENANT}, $1, $2, $3, $4, $5, $6, $7, $8)
       on conflict do nothing
       returning ${USER_SELECT}, true as created
     )
     select * from ins
     union all
     select ${USER_SELECT}, false from public.scim_users u
     where u.tenant_id = ${TENANT} and not exists (select 1 from ins)
       and (u.user_name_key = lower($2) or u.external_id = $3 or u.user_id = $1)
     limit 1`,
    [userId, c.userName, c.externalId, c.active, c.displayName, c.email, c.department, JSON.stringify(c.attributes)],
  );
}

/**
 * Replaces the user's attributes; with `ifUpdatedAt`, only if nobody changed it since it was
 * read (PATCH's read-modify-write). `keepActive`: a PUT that does not say `active` changes it not
 * (it never reactivates a deprovisioned person by omission). `wasActive` tells a deactivation
 * or reactivation apart.
 */
export function replaceUser(q: Queue, id: string, c: UserColumns, ifUpdatedAt: string | null = null, keepActive = false) {
  return q.one<UserRow & { wasActive: boolean }>(
    `with old as (
       select u.id, u.active from public.scim_users u where u.tenant_id = ${TENANT} and u.id = $1 for update
     )
     update public.scim_users u set user_name = $2, external_id = $3, active = coalesce($4, u.active), display_name = $5, email = $6, department = $7, attributes = $8
     from old where u.tenant_id = ${TENANT} and u.id = old.id and ($9::timestamptz is null or u.updated_at = $9::timestamptz)
     returning ${USER_SELECT}, old.active as "wasActive"`,
    [id, c.userName, c.externalId, keepActive ? null : c.active, c.displayName, c.email, c.department, JSON.stringify(c.attributes), ifUpdatedAt],
  );
}

/** A PATCH that only sets columns (patch.ts scalarPatch): one statement, no read before it. */
export function patchUserColumns(q: Queue, id: string, p: ScalarPatch) {
  return q.one<UserRow & { wasActive: boolean }>(
    `with old as (
       select u.id, u.active from public.scim_users u where u.tenant_id = ${TENANT} and u.id = $1 for update
     )
     update public.scim_users u set
       active = coalesce($2, u.active),
       display_name = case when $3 then $4 else u.display_name end,
       external_id = case when $5 then $6 else u.external_id end
     from old where u.tenant_id = ${TENANT} and u.id = old.id
     returning ${USER_SELECT}, old.active as "wasActive"`,
    [id, p.active ?? null, "displayName" in p, p.displayName ?? null, "externalId" in p, p.externalId ?? null],
  );
}

/** The membership ends (trigger); the person and their business data stay. */
export const deleteUser = (q: Queue, id: string) =>
  q.one<{ userId: string }>(`delete from public.scim_users u where u.tenant_id = ${TENANT} and u.id = $1 returning u.user_id as "userId"`, [id]);
