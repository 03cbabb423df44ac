// Invitations of the caller's active tenant. RLS decides who sees and changes them (members.manage,
// never a role above the caller's own); accepting goes through private.accept_invitation().
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../../shared/db/tx.ts";
import type { AcceptedInvitation, Invitation, InvitationCreate, InvitationStatus } from "./schema.ts";

type InvitationRow = z.infer<typeof Invitation>;

export const MAY_MANAGE_MEMBERS = "select private.has_permission('members.manage') as allowed";

const STATUS = `case when accepted_at is not null then 'accepted' when revoked_at is not null then 'revoked'
  when expires_at <= now() then 'expired' else 'pending' end`;
const INVITATION = `id, email, role, department_id as "departmentId", customer_id as "customerId", ${STATUS} as status,
  invited_by as "invitedBy", created_at as "createdAt", expires_at as "expiresAt", emailed_at as "emailedAt",
  accepted_at as "acceptedAt", accepted_by as "acceptedBy", revoked_at as "revokedAt"`;

/**
 * One statement: refuses an email that is already a member's (alreadyMember), replaces (revokes)
 * the email's open invitation if the caller may, and inserts the new one. The insert reads the
 * replacement's count, so the revoke has happened when the one-open-invitation index is checked.
 */
export function createInvitation(q: Queue, id: string, input: z.infer<typeof InvitationCreate>, tokenHash: string) {
  return q.one<{ alreadyMember: boolean } & (InvitationRow | { [K in keyof InvitationRow]: null })>(
    `with member as (
       select 1 from public.memberships m
       where m.tenant_id = (select private.current_tenant()) and lower(m.email) = $2
     ), replaced as (
       update public.invitations i set revoked_at = now(), revoked_by = (select private.current_user_id())
       where i.tenant_id = (select private.current_tenant()) and i.email = $2
         and i.accepted_at is null and i.revoked_at is null and not exists (select 1 from member)
       returning 1
     ), created as (
       insert into public.invitations (tenant_id, id, email, role, department_id, customer_id, token_hash, invited_by)
       select (select private.current_tenant()), $1, $2, $3, $4, $5, $6, (select private.current_user_id())
       from (select count(*) from replaced) r
       where not exists (select 1 from member)
       returning ${INVITATION}
     )
     select exists (select 1 from member) as "alreadyMember", c.* from (select 1) one left join created c on true`,
    [id, input.email, input.role, input.departmentId ?? null, input.customerId ?? null, tokenHash],
  );
}

export function listInvitations(q: Queue, page: { limit: number; after: unknown[] | null; status?: z.infer<typeof InvitationStatus> }) {
  return q.rows<InvitationRow & { _cursor: unknown[] }>(
    `select * from (
       select ${INVITATION}, json_build_array(created_at::text, id) as "_cursor", created_at as _at from public.invitations
       where tenant_id = (select private.current_tenant())
         and ($1::timestamptz is null or (created_at, id) > ($1, $2::uuid))
     ) x
     where $3::text is null or status = $3
     order by _at, id
     limit $4`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.status ?? null, page.limit + 1],
  );
}

/**
 * Revokes an open invitation. `visible` tells "no such invitation" (404) from "you may not" (the
 * row is visible but not the caller's to revoke: 403); the row comes back as it is now.
 */
export function revokeInvitation(q: Queue, id: string) {
  return q.one<{ visible: boolean; changed: boolean } & (InvitationRow | { [K in keyof InvitationRow]: null })>(
    `with target as (
       select id from public.invitations where tenant_id = (select private.current_tenant()) and id = $1
     ), revoked as (
       update public.invitations i set revoked_at = now(), revoked_by = (select private.current_user_id())
       where i.tenant_id = (select private.current_tenant()) and i.id = $1 and i.accepted_at is null and i.revoked_at is null
       returning ${INVITATION}
     ), current as (
       select ${INVITATION} from public.invitations where tenant_id = (select private.current_tenant()) and id = $1
     )
     select exists (select 1 from target) as visible, exists (select 1 from revoked) as changed,
            coalesce(r.id, c.id) as id, coalesce(r.email, c.email) as email, coalesce(r.role, c.role) as role,
            coalesce(r."departmentId", c."departmentId") as "departmentId", coalesce(r."customerId", c."customerId") as "customerId",
            coalesce(r.status, c.status) as status, coalesce(r."invitedBy", c."invitedBy") as "invitedBy",
            coalesce(r."createdAt", c."createdAt") as "createdAt", coalesce(r."expiresAt", c."expiresAt") as "expiresAt",
            coalesce(r."emailedAt", c."emailedAt") as "emailedAt", coalesce(r."acceptedAt", c."acceptedAt") as "acceptedAt",
            coalesce(r."acceptedBy", c."acceptedBy") as "acceptedBy", coalesce(r."revokedAt", c."revokedAt") as "revokedAt"
     from (select 1) one left join revoked r on true left join current c on true`,
    [id],
  );
}

type Accepted = Omit<z.infer<typeof AcceptedInvitation>, "tokenRefreshRequired">;

export function acceptInvitation(q: Queue, tokenHash: string) {
  return q.one<Accepted>(
    `select tenant_id as "tenantId", role, department_id as "departmentId", invitation_id as "invitationId",
            already_accepted as "alreadyAccepted"
     from private.accept_invitation($1::bytea)`,
    [tokenHash],
  );
}
