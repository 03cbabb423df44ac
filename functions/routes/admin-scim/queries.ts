// SCIM tokens and group mappings of the caller's tenant. RLS admits owners and admins only; the
// token hash is never selected (authenticated holds no privilege on that column).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { GroupMapping, ScimToken } from "./schema.ts";

export type TokenRow = z.infer<typeof ScimToken>;
export type MappingRow = z.infer<typeof GroupMapping>;

/** The question every route here asks first, in the same flight (403 before anything else). */
export const MAY_MANAGE_SCIM = "select private.is_staff_admin() as allowed";

const TOKEN = (t: string) => `${t}.id, ${t}.name, ${t}.created_by as "createdBy", ${t}.created_at as "createdAt",
  ${t}.expires_at as "expiresAt", ${t}.last_used_at as "lastUsedAt", ${t}.rotated_from as "rotatedFrom",
  ${t}.rotated_at as "rotatedAt", ${t}.revoked_at as "revokedAt",
  case when ${t}.revoked_at is not null then 'revoked' when ${t}.expires_at <= now() then 'expired' else 'active' end as status`;

export const allowed = (q: Queue) => q.one<{ allowed: boolean }>(MAY_MANAGE_SCIM);

export const listTokens = (q: Queue) =>
  q.rows<TokenRow>(`select ${TOKEN("t")} from public.scim_tokens t where t.tenant_id = (select private.current_tenant()) order by t.created_at, t.id`);

export function createToken(q: Queue, name: string, hashHex: string, expiresInDays: number) {
  return q.one<TokenRow>(
    `insert into public.scim_tokens as t (tenant_id, name, token_hash, created_by, expires_at)
     values ((select private.current_tenant()), $1, decode($2, 'hex'), (select private.current_user_id()), now() + make_interval(days => $3))
     returning ${TOKEN("t")}`,
    [name, hashHex, expiresInDays],
  );
}

/**
 * One statement: the old token (active, visible) now expires at the end of the overlap (never
 * later than it already did), and a new one with the same name replaces it. No row: not found,
 * already revoked or expired.
 */
export function rotateToken(q: Queue, id: string, hashHex: string, overlapMinutes: number, expiresInDays: number) {
  return q.one<{ previous: TokenRow; next: TokenRow }>(
    `with old as (
       update public.scim_tokens t set rotated_at = now(), expires_at = least(t.expires_at, now() + make_interval(mins => $3))
       where t.tenant_id = (select private.current_tenant()) and t.id = $1 and t.revoked_at is null and t.expires_at > now()
       returning ${TOKEN("t")}, t.tenant_id
     ), fresh as (
       insert into public.scim_tokens as t (tenant_id, name, token_hash, created_by, expires_at, rotated_from)
       select old.tenant_id, old.name, decode($2, 'hex'), (select private.current_user_id()), now() + make_interval(days => $4), old.id from old
       returning ${TOKEN("t")}
     )
     select (select to_jsonb(old) - 'tenant_id' from old) as previous, (select to_jsonb(fresh) from fresh) as next
     where exists (select 1 from fresh)`,
    [id, hashHex, overlapMinutes, expiresInDays],
  );
}

/** Revoked at once (the next SCIM request with it is 401); revoking again changes nothing. */
export function revokeToken(q: Queue, id: string) {
  return q.one<TokenRow>(
    `with target as (
       select t.id from public.scim_tokens t where t.tenant_id = (select private.current_tenant()) and t.id = $1
     ), revoked as (
       update public.scim_tokens t set revoked_at = now(), revoked_by = (select private.current_user_id())
       where t.tenant_id = (select private.current_tenant()) and t.id in (select id from target) and t.revoked_at is null
       returning ${TOKEN("t")}
     )
     select * from revoked
     union all
     select ${TOKEN("t")} from public.scim_tokens t
     where t.tenant_id = (select private.current_tenant()) and t.id in (select id from target) and not exists (select 1 from revoked)`,
    [id],
  );
}

const MAPPING = `m.id, m.group_name as "groupName", m.role, m.department, m.updated_at as "updatedAt"`;

export const listMappings = (q: Queue) =>
  q.rows<MappingRow>(`select ${MAPPING} from public.scim_group_mappings m where m.tenant_id = (select private.current_tenant()) order by lower(m.group_name)`);

/** Sets the mapping of a group (by name, case-insensitively); members' roles follow in the same transaction. */
export function setMapping(q: Queue, input: { groupName: string; role: string; department: string | null }) {
  return q.one<MappingRow & { created: boolean }>(
    `with updated as (
       update public.scim_group_mappings m set group_name = $1, role = $2::public.member_role, department = $3
       where m.tenant_id = (select private.current_tenant()) and lower(m.group_name) = lower($1)
       returning ${MAPPING}, false as created
     ), inserted as (
       insert into public.scim_group_mappings as m (tenant_id, group_name, role, department)
       select (select private.current_tenant()), $1, $2::public.member_role, $3 where not exists (select 1 from updated)
       returning ${MAPPING}, true as created
     )
     select * from updated union all select * from inserted`,
    [input.groupName, input.role, input.department],
  );
}

export function deleteMapping(q: Queue, id: string) {
  return q.one<MappingRow>(
    `delete from public.scim_group_mappings m where m.tenant_id = (select private.current_tenant()) and m.id = $1 returning ${MAPPING}`,
    [id],
  );
}
