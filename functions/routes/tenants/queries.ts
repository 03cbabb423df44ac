// Sign-up: the tenant, its founding owner membership and (if the person has none yet) the
// active-tenant setting, as consecutive statements of one transaction. RLS admits the owner
// membership only for a tenant the caller just created and nobody belongs to yet.
import type { Queue } from "../../../shared/db/tx.ts";
import type { z } from "@hono/zod-openapi";
import type { Tenant } from "./schema.ts";

export function createTenant(q: Queue, input: { id: string; slug: string; name: string; email: string | null }) {
  const me = "(select private.current_user_id())";
  const statements = [
    q.rows(`insert into public.tenants (id, slug, name, created_by) values ($1, $2, $3, ${me})`, [input.id, input.slug, input.name]),
    q.rows(`insert into public.memberships (tenant_id, user_id, role, email) values ($1, ${me}, 'owner', $2)`, [input.id, input.email]),
    q.rows(
      `insert into public.user_settings as s (user_id, active_tenant_id) values (${me}, $1)
       on conflict (user_id) do update set active_tenant_id = coalesce(s.active_tenant_id, excluded.active_tenant_id)`,
      [input.id],
    ),
  ];
  const tenant = q.one<z.infer<typeof Tenant>>(
    `select id, slug, name, plan, status, primary_host as "primaryHost", created_at as "createdAt"
     from public.tenants where id = $1`,
    [input.id],
  );
  return Promise.all([tenant, ...statements]).then(([t]) => t);
}
