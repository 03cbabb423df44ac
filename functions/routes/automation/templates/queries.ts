// SQL for the built-in templates. Every write is guarded by the permission in its own WHERE, so a
// caller without automation.manage changes nothing (the route answers 403 from `allowed`); RLS
// holds underneath. Each change writes its audit rows by trigger in the same transaction.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../../shared/db/tx.ts";
import { FOLLOW_UP_WORKFLOW, TEMPLATE_KEYS, TEMPLATES, type TemplateKey } from "../../../lib/templates.ts";
import type { Template } from "./schema.ts";

export const MAY_READ = "select private.may_read_automation() as allowed";
export const MAY_MANAGE = "select private.has_permission('automation.manage') as allowed";
const MANAGE = "(select private.has_permission('automation.manage'))";

type Row = Omit<z.infer<typeof Template>, "title" | "description">;
type TemplateRow = z.infer<typeof Template>;

const withText = (r: Row): TemplateRow => ({ ...r, title: TEMPLATES[r.key].title, description: TEMPLATES[r.key].description });

/** The follow-up's state is its workflow's (it may be deactivated as a workflow, too). */
const SELECT = `
  select k.key,
         coalesce(case when k.key = 'appointment_follow_up' then w.active end, t.enabled, k.key = 'appointment_reminders') as enabled,
         t.enabled_at as "enabledAt", t.updated_at as "updatedAt", w.id as "workflowId"
  from unnest($1::text[]) with ordinality k(key, ord)
  left join public.automation_templates t on t.tenant_id = (select private.current_tenant()) and t.template_key = k.key
  left join public.workflows w on w.tenant_id = (select private.current_tenant()) and w.template_key = k.key
  order by k.ord`;

export async function listTemplates(q: Queue): Promise<TemplateRow[]> {
  const rows = await q.rows<Row>(SELECT, [TEMPLATE_KEYS]);
  return rows.map(withText);
}

/**
 * Turns a template on or off. Idempotent: a template already in that state is not written again
 * (no second audit row). The follow-up template's workflow is created on first enable
 * (version 1, event trigger) and (de)activated after. Statements in one flight, each its own
 * snapshot (see setActive in ../workflows/queries.ts).
 */
export async function setTemplate(q: Queue, key: TemplateKey, enabled: boolean) {
  const workflowId = crypto.randomUUID();
  const allowed = q.one<{ allowed: boolean }>(MAY_MANAGE);
  const statements: Promise<unknown>[] = [
    allowed,
    q.one(
      `insert into public.automation_templates as t (tenant_id, template_key, enabled, enabled_at, updated_by)
       select (select private.current_tenant()), $1, $2, case when $2 then now() end, (select private.current_user_id())
       where ${MANAGE}
       on conflict (tenant_id, template_key) do update
         set enabled = excluded.enabled, enabled_at = coalesce(excluded.enabled_at, t.enabled_at), updated_by = excluded.updated_by
         where t.enabled is distinct from excluded.enabled`,
      [key, enabled],
    ),
  ];
  if (key === "appointment_follow_up") {
    if (enabled) {
      statements.push(
        q.one(
          `insert into public.workflows (tenant_id, id, name, trigger_kind, active, template_key, created_by)
           select (select private.current_tenant()), $1, $2, $3, true, 'appointment_follow_up', (select private.current_user_id())
           where ${MANAGE}
           on conflict (tenant_id, template_key) where template_key is not null do nothing`,
          [workflowId, FOLLOW_UP_WORKFLOW.name, FOLLOW_UP_WORKFLOW.trigger.type],
        ),
        q.one(
          `insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by)
           select w.tenant_id, w.id, 1, $2::jsonb, $3::jsonb, (select private.current_user_id())
           from public.workflows w where w.id = $1 and ${MANAGE}`,
          [workflowId, JSON.stringify(FOLLOW_UP_WORKFLOW.trigger), JSON.stringify(FOLLOW_UP_WORKFLOW.actions)],
        ),
      );
    }
    statements.push(
      q.one(
        `update public.workflows w set active = $1
         where w.tenant_id = (select private.current_tenant()) and w.template_key = 'appointment_follow_up' and w.active <> $1 and ${MANAGE}`,
        [enabled],
      ),
    );
  }
  const read = q.rows<Row>(SELECT, [[key]]);
  await Promise.all([...statements, read]);
  const [row] = await read;
  return { allowed: !!(await allowed)?.allowed, template: row ? withText(row) : null };
}
