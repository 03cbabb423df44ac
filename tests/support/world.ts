// A world for isolation attacks: several tenants (see seedWorld), each with every role and data in
// every table a tenant owns, every text marked with the tenant's own marker string so a leak is
// recognisable, plus the people who make isolation hard: a person in two tenants, a member who
// left the victim tenant (and still holds a valid token for it), a former member of their own
// tenant, soft-deleted rows, and per-role copies of every object a route addresses (so a
// destructive canonical request never spoils another role's). Built on seedTenant (seed.ts)
// through the harness's admin connection; all tokens carry tenant_plan "enterprise".
import type { Client } from "pg";
import { TENANT_HOST_SUFFIX } from "./config.ts";
import { withAdmin } from "./db.ts";
import { seedTenant, type Role, type SeededTenant } from "./seed.ts";
import { hs256Token } from "./tokens.ts";

export const ROLES: readonly Role[] = ["owner", "admin", "manager", "employee", "customer"];

/** Tables whose rows a route addresses by id, with the canonical object each role gets. */
export const TARGET_TABLES = ["memberships", "departments", "customers", "calendar_events", "appointments", "tasks", "notes", "invitations", "scim_tokens", "scim_group_mappings", "reminders", "webhook_endpoints", "webhook_deliveries", "workflows", "workflow_executions", "ai_workers", "ai_runs", "ai_approvals"] as const;
export type TargetTable = (typeof TARGET_TABLES)[number];

export interface Actor {
  name: string;
  userId: string;
  email: string;
  /** The tenant the token names. */
  tenantId: string;
  role: Role | null;
  token: string;
  /** Tenants whose data this person may see: the one they act in, when they are active there. */
  sees: string[];
  /** Other tenants' ids and strings this person may legitimately see (their own membership there). */
  knows: string[];
  /** Mints another token with the same claims (a new token hash each time). */
  mint: () => Promise<string>;
}

export interface WorldTenant {
  id: string;
  slug: string;
  host: string;
  /** In every text this tenant's rows hold: found anywhere else, it is a leak. */
  marker: string;
  seeded: SeededTenant;
  /** Active members acting in this tenant, by name. */
  actors: Record<string, Actor>;
  /** The member whose role's permissions are the matrix's (no per-member overrides). */
  canonical: Record<Role, Actor>;
  /** Per role: the object of each table that role's canonical request addresses. */
  targets: Record<Role, Record<TargetTable, string>>;
  softDeleted: { tasks: string; notes: string };
  /** Tokens naming this tenant held by people who are not (or no longer) active members of it. */
  stale: Actor[];
  /** An Idempotency-Key this tenant's owner (and, user-level, one of its users) already used. */
  idempotencyKey: string;
}

export interface World {
  victim: WorldTenant;
  attackers: WorldTenant[];
  tenants: WorldTenant[];
}

const hex = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
const uuid = () => crypto.randomUUID();

interface ActorSpec {
  role: Role | null;
  sees: string[];
  knows?: string[];
}

function actor(name: string, u: { id: string; email: string }, tenantId: string, spec: ActorSpec): Promise<Actor> {
  const mint = () => hs256Token({ id: u.id, email: u.email, tenantId }, { claims: { tenant_plan: "enterprise" } });
  return mint().then((token) => ({ name, userId: u.id, email: u.email, tenantId, token, mint, knows: [], ...spec }));
}

interface Person {
  id: string;
  email: string;
}

async function insertUsers(c: Client, people: Person[]) {
  await c.query("insert into auth.users (id, email) select * from unnest($1::uuid[], $2::text[])", [people.map((p) => p.id), people.map((p) => p.email)]);
}

async function addMember(c: Client, t: SeededTenant, p: Person, role: Role, opts: { department?: string | null; active?: boolean; name: string }) {
  await c.query(
    `insert into public.memberships (tenant_id, user_id, role, department_id, email, display_name, active) values ($1, $2, $3, $4, $5, $6, $7)`,
    [t.id, p.id, role, opts.department ?? null, p.email, opts.name, opts.active ?? true],
  );
}

/** Everything beyond seedTenant's people, in one transaction. Returns the per-role targets. */
async function fill(c: Client, t: SeededTenant, marker: string, subjects: Record<Role, Person>) {
  const m = (s: string) => `${s} ${marker}`;
  const ops = t.departments.operations!;
  await c.query("update public.departments set name = name || ' ' || $2 where tenant_id = $1", [t.id, marker]);
  await c.query("update public.customers set name = name || ' ' || $2 where tenant_id = $1", [t.id, marker]);
  await c.query("update public.memberships set display_name = coalesce(display_name, '') || ' ' || $2 where tenant_id = $1", [t.id, marker]);
  let minute = 0;
  const at = () => new Date(Date.parse("2031-02-03T09:00:00Z") + minute++ * 45 * 60_000).toISOString();
  const event = async (owner: string, kind: string, title: string, attendees: string[] = [], cancelled = false) => {
    const id = uuid();
    const start = at();
    await c.query(
      `insert into public.calendar_events (id, tenant_id, kind, title, notes, location, guests, starts_at, ends_at, owner_id, cancelled_at)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::timestamptz, $8::timestamptz + interval '30 minutes', $9, case when $10::boolean then now() end)`,
      [id, t.id, kind, m(title), m("agenda"), m("room"), JSON.stringify([{ email: `guest-${marker}@outside.test`, name: m("guest") }]), start, owner, cancelled],
    );
    for (const u of attendees) await c.query("insert into public.calendar_event_attendees (tenant_id, event_id, user_id) values ($1, $2, $3)", [t.id, id, u]);
    const appointment = await c.query<{ id: string }>("select id from public.appointments where tenant_id = $1 and event_id = $2", [t.id, id]);
    return { id, appointmentId: appointment.rows[0]?.id ?? null, start };
  };
  const task = async (creator: string, title: string, extra: { assignedTo?: string; customerId?: string; deletedBy?: string } = {}) => {
    const id = uuid();
    await c.query(
      `insert into public.tasks (id, tenant_id, title, description, assigned_to, created_by, customer_id, due_at, deleted_at, deleted_by)
       values ($1, $2, $3, $4, $5, $6, $7, now() + interval '3 days', case when $8::uuid is not null then now() end, $8)`,
      [id, t.id, m(title), m("details"), extra.assignedTo ?? null, creator, extra.customerId ?? null, extra.deletedBy ?? null],
    );
    await c.query("insert into public.task_comments (tenant_id, task_id, author_id, body) values ($1, $2, $3, $4)", [t.id, id, creator, m("comment")]);
    await c.query("insert into public.time_logs (tenant_id, task_id, user_id, minutes, note) values ($1, $2, $3, 30, $4)", [t.id, id, creator, m("worked")]);
    return id;
  };
  const note = async (author: string, title: string, extra: { department?: string; customerId?: string; deleted?: boolean } = {}) => {
    const id = uuid();
    await c.query(
      `insert into public.notes (id, tenant_id, author_id, title, body, department_id, shared_with_department, customer_id, shared_with_customer, deleted_at)
       values ($1, $2, $3, $4, $5, $6::uuid, $6::uuid is not null, $7::uuid, $7::uuid is not null, case when $8::boolean then now() end)`,
      [id, t.id, author, m(title), m("body"), extra.department ?? null, extra.customerId ?? null, extra.deleted ?? false],
    );
    return id;
  };
  // An open invitation whose email went out: the secret (here random bytes, never used) only
  // as its hash, and its job_outbox row already published, so no drain sends it.
  const invitation = async (email: string, role: Role, extra: { revoked?: boolean } = {}) => {
    const id = uuid();
    await c.query(
      `insert into public.invitations (id, tenant_id, email, role, department_id, token_hash, invited_by, emailed_at, revoked_at, revoked_by)
       values ($1, $2, $3, $4, $5, decode($6, 'hex'), $7, now(), case when $8::boolean then now() end, case when $8::boolean then $7::uuid end)`,
      [id, t.id, email, role, ops, hex(32), t.owner.id, extra.revoked ?? false],
    );
    await c.query("update public.job_outbox set published_at = now(), message_id = $2 where dedupe_id = $1", [`invitation:${id}`, `msg-${marker}-${id}`]);
    return id;
  };
  // A SCIM token (random bytes as its hash: no request can present it) and a group mapping.
  const scimToken = async (name: string) => {
    const id = uuid();
    await c.query("insert into public.scim_tokens (id, tenant_id, name, token_hash, created_by) values ($1, $2, $3, decode($4, 'hex'), $5)", [id, t.id, m(name), hex(32), t.owner.id]);
    return id;
  };
  const scimMapping = async (group: string) => {
    const id = uuid();
    await c.query("insert into public.scim_group_mappings (id, tenant_id, group_name, role, department) values ($1, $2, $3, 'employee', $4)", [id, t.id, m(group), m("dept")]);
    return id;
  };
  // An ad-hoc reminder the owner set for a member, a day ahead; its job_outbox row already
  // published, so no drain sends it.
  const reminder = async (userId: string, text: string) => {
    const id = uuid();
    await c.query("insert into public.reminders (id, tenant_id, user_id, created_by, text, remind_at) values ($1, $2, $3, $4, $5, now() + interval '1 day')", [id, t.id, userId, t.owner.id, m(text)]);
    await c.query("update public.job_outbox set published_at = now(), message_id = $2 where dedupe_id = $1", [`reminder:adhoc:${id}`, `msg-${marker}-${id}`]);
    return id;
  };
  // A webhook endpoint (subscribed to member.joined only, which nothing in an attack makes, so
  // no delivery goes out from the world) with one delivery of an event written here directly.
  const webhook = async (role: Role) => {
    const id = uuid();
    const event = uuid();
    const delivery = uuid();
    await c.query(
      `insert into public.webhook_endpoints (id, tenant_id, url, description, event_types, created_by)
       values ($1, $2, $3, $4, '{member.joined}', $5)`,
      [id, t.id, `https://hooks-${role}.example.com/${encodeURIComponent(marker)}`, m(`${role}'s receiver`), t.owner.id],
    );
    await c.query("insert into public.webhook_secrets (tenant_id, endpoint_id, secret) values ($1, $2, $3)", [t.id, id, `whsec_${btoa(hex(16))}`]);
    await c.query(
      "insert into public.domain_events (tenant_id, id, type, subject_id, payload) values ($1, $2, 'task.completed', $3, $4)",
      [t.id, event, uuid(), JSON.stringify({ title: m("completed task") })],
    );
    await c.query(
      "insert into public.webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, attempts) values ($1, $2, $3, $4, 'task.completed', 'delivered', 1)",
      [t.id, delivery, id, event],
    );
    await c.query(
      `insert into public.webhook_attempts (tenant_id, delivery_id, attempt_id, outcome, status_code, latency_ms, response_snippet, finished_at)
       values ($1, $2, $3, 'delivered', 200, 12, $4, now())`,
      [t.id, delivery, uuid(), m("received")],
    );
    return { endpoint: id, delivery };
  };
  // A workflow (version 1, manual trigger) with one finished execution and its step log.
  const workflow = async (name: string) => {
    const id = uuid();
    const execution = uuid();
    await c.query("insert into public.workflows (id, tenant_id, name, trigger_kind, created_by) values ($1, $2, $3, 'manual', $4)", [id, t.id, m(name), t.owner.id]);
    await c.query(
      `insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by)
       values ($1, $2, 1, '{"type": "manual"}', $3, $4)`,
      [t.id, id, JSON.stringify([{ type: "generate_summary", title: m("summary") }]), t.owner.id],
    );
    await c.query(
      `insert into public.workflow_executions (tenant_id, id, workflow_id, version, status, trigger_kind, trigger_id, trigger_payload, step_count, created_by, started_at, finished_at)
       values ($1, $2::uuid, $3, 1, 'succeeded', 'manual', 'manual:' || $2::text, $4, 1, $5, now(), now())`,
      [t.id, execution, id, JSON.stringify({ note: m("payload") }), t.owner.id],
    );
    await c.query(
      `insert into public.workflow_execution_steps (tenant_id, execution_id, step_index, action, status, attempts, output, started_at, finished_at)
       values ($1, $2, 0, 'generate_summary', 'succeeded', 1, $3, now(), now())`,
      [t.id, execution, JSON.stringify({ summary: { title: m("summary"), text: m("text") } })],
    );
    return { id, execution };
  };
  const customer = async (name: string, department: string | null, assignedTo: string | null) => {
    const id = uuid();
    await c.query("insert into public.customers (id, tenant_id, name, email, phone, department_id, assigned_to) values ($1, $2, $3, $4, $5, $6, $7)", [
      id, t.id, m(name), `${name}-${marker}@customers.test`, "+49 30 1234567", department, assignedTo,
    ]);
    return id;
  };

  // Shared data: what each role sees in lists, the portal and the dashboard.
  const assigned = await customer("assigned", t.departments.sales!, t.employee.id);
  await customer("support-desk", t.departments.support!, null);
  const visit = await event(t.employee.id, "meeting", "visit", [t.colleague.id]);
  await c.query("update public.appointments set customer_id = $2 where id = $1", [visit.appointmentId, t.customerRecordId]);
  await c.query("insert into public.reminder_deliveries (tenant_id, appointment_id, offset_minutes, starts_at, message_id) values ($1, $2, 60, $3, $4)", [
    t.id, visit.appointmentId, visit.start, `msg-${marker}`,
  ]);
  await event(t.manager.id, "call", "call", [t.employee.id]);
  await event(t.owner.id, "reminder", "reminder");
  await event(t.employee.id, "meeting", "cancelled", [], true);
  await task(t.manager.id, "assigned", { assignedTo: t.employee.id, customerId: assigned });
  await task(t.manager.id, "for the customer", { assignedTo: t.customer.id, customerId: t.customerRecordId });
  await task(t.colleague.id, "colleague's", { assignedTo: t.colleague.id });
  const deletedTask = await task(t.manager.id, "deleted", { assignedTo: t.employee.id, deletedBy: t.owner.id });
  await note(t.employee.id, "private");
  await note(t.employee.id, "team", { department: t.departments.sales! });
  await note(t.manager.id, "for the customer", { customerId: t.customerRecordId });
  const deletedNote = await note(t.employee.id, "deleted", { deleted: true });
  await c.query(
    `insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'customers.read_all', true), ($1, $2, 'time.create', false)`,
    [t.id, t.colleague.id],
  );
  await c.query("insert into public.usage_daily (tenant_id, day, metric, value) values ($1, current_date, 'api_calls', 42)", [t.id]);
  // The SCIM directory: the employee as provisioned by the IdP (their department as the
  // enterprise attribute, so the sync keeps it), in an unmapped group. The sync triggers
  // write memberships only under a SCIM token of the tenant, so the claims name one (a hash
  // nobody holds the token of) for these statements.
  const scimHash = hex(32);
  await c.query("insert into public.scim_tokens (tenant_id, name, token_hash, created_by) values ($1, $2, decode($3, 'hex'), $4)", [t.id, m("directory IdP"), scimHash, t.owner.id]);
  await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ scim_token_sha256: scimHash })]);
  const scimUser = uuid();
  const scimGroup = uuid();
  await c.query(
    `insert into public.scim_users (tenant_id, id, user_id, user_name, external_id, display_name, email, department, attributes)
     values ($1, $2, $3, $4, $5, $6, $4, $7, $8)`,
    [t.id, scimUser, t.employee.id, t.employee.email, `idp-${marker}`, m("provisioned"), t.employee.department, JSON.stringify({ title: m("title") })],
  );
  await c.query("insert into public.scim_groups (tenant_id, id, display_name, external_id) values ($1, $2, $3, $4)", [t.id, scimGroup, m("IdP group"), `idp-group-${marker}`]);
  await c.query("insert into public.scim_group_members (tenant_id, group_id, scim_user_id) values ($1, $2, $3)", [t.id, scimGroup, scimUser]);
  await c.query("select set_config('request.jwt.claims', '', true)");
  await invitation(`withdrawn-${marker}@invited.test`, "manager", { revoked: true });
  const delivered = await reminder(t.employee.id, "call the lab back");
  await c.query(
    "insert into public.notification_deliveries (tenant_id, reminder_key, channel, user_id, status, provider_message_id, sent_at) values ($1, $2, 'email', $3, 'sent', $4, now())",
    [t.id, `reminder:adhoc:${delivered}`, t.employee.id, `msg-${marker}`],
  );
  // The employee's Telegram chat, verified (so saving it sends no code); a pending custom email of
  // the manager's whose code was never sent; today's outbound message count. The plan is
  // enterprise's, as in the tokens (the attack's creates stay under its workflow cap).
  await c.query("update public.tenants set plan = 'enterprise' where id = $1", [t.id]);
  await c.query("insert into public.notification_destinations (tenant_id, user_id, channel, address, status, verified_at) values ($1, $2, 'telegram', '4242', 'verified', now())", [t.id, t.employee.id]);
  await c.query("insert into public.notification_destinations (tenant_id, user_id, channel, address) values ($1, $2, 'email', $3)", [t.id, t.manager.id, `pending-${marker}@outside.test`]);
  await c.query("insert into public.outbound_message_budget (tenant_id, day, used) values ($1, (now() at time zone 'UTC')::date, 3)", [t.id]);
  await c.query("insert into public.notification_settings (tenant_id, user_id, telegram_enabled, telegram_chat_id, quiet_start, quiet_end) values ($1, $2, true, '4242', '22:00', '07:00')", [t.id, t.employee.id]);
  await c.query("insert into public.automation_settings (tenant_id, reminder_offsets) values ($1, array[1440, 60, 15])", [t.id]);
  await c.query("insert into public.ai_settings (tenant_id, execution_policy, bulk_threshold, updated_by) values ($1, 'hybrid', 20, $2)", [t.id, t.owner.id]);
  // Built-in templates: the digest on (since now: no past local date is due), reminders on
  // explicitly, and one digest that went out.
  await c.query(
    "insert into public.automation_templates (tenant_id, template_key, enabled, enabled_at, updated_by) values ($1, 'daily_digest', true, now(), $2), ($1, 'appointment_reminders', true, now(), $2)",
    [t.id, t.owner.id],
  );
  await c.query(
    `insert into public.daily_digests (tenant_id, user_id, local_date, time_zone, status, sent_at, channels) values ($1, $2, current_date, 'UTC', 'sent', now(), '{"email": "sent"}')`,
    [t.id, t.employee.id],
  );
  // An event-triggered workflow (its version writes the automation rule) and a webhook-triggered
  // one that has accepted a webhook (its receipt row) and had its secret rotated (its key row).
  for (const [kind, trigger] of [["event", { type: "event", eventType: "appointment.completed" }], ["webhook", { type: "webhook" }]] as const) {
    const id = uuid();
    await c.query("insert into public.workflows (id, tenant_id, name, trigger_kind, active, created_by) values ($1, $2, $3, $4, true, $5)", [id, t.id, m(`${kind} workflow`), kind, t.owner.id]);
    await c.query("insert into public.workflow_versions (tenant_id, workflow_id, version, trigger, actions, created_by) values ($1, $2, 1, $3, $4, $5)", [
      t.id, id, JSON.stringify(trigger), JSON.stringify([{ type: "generate_summary", title: m("summary") }]), t.owner.id,
    ]);
    if (kind === "webhook") {
      await c.query("insert into public.workflow_webhook_receipts (tenant_id, workflow_id, webhook_id) values ($1, $2, $3)", [t.id, id, `msg_${marker}`]);
      await c.query("insert into public.workflow_webhook_keys (tenant_id, workflow_id, generation, previous_valid_until, rotated_by) values ($1, $2, 1, now(), $3)", [t.id, id, t.owner.id]);
    }
  }

  // Per role, the objects its canonical requests address: a plain employee of the operations
  // department (the manager's) is the subject, and owns or created each of them.
  const targets = {} as Record<Role, Record<TargetTable, string>>;
  await c.query("insert into public.ai_token_budgets (tenant_id, month, reserved, used) values ($1, date_trunc('month', now() at time zone 'UTC')::date, 0, 600)", [t.id]);
  for (const role of ROLES) {
    const s = subjects[role].id;
    const department = uuid();
    await c.query("insert into public.departments (id, tenant_id, name) values ($1, $2, $3)", [department, t.id, m(`spare ${role}`)]);
    const ev = await event(s, "meeting", `${role}'s subject's meeting`);
    const call = await event(s, "call", `${role}'s subject's call`);
    const hook = await webhook(role);
    const wf = await workflow(`${role}'s workflow`);
    const aiWorker = uuid();
    await c.query("insert into public.ai_workers (tenant_id, id, kind, contract_version, name, config, created_by) values ($1, $2, 'office_assistant', 1, $3, $4, $5)", [
      t.id, aiWorker, m(`${role}'s assistant`), JSON.stringify({ tone: "friendly", language: "en" }), t.owner.id,
    ]);
    // A run of that worker waiting for approval of a delete its model proposed (one per role, so
    // one role's decision leaves the others' pending); the business's policy is set (version 1),
    // so a canonical PUT /v1/ai/policy that changes nothing voids nothing.
    const aiRun = uuid();
    const doomedTask = await task(s, `${role}'s task an AI worker proposes to delete`);
    await c.query(
      `insert into public.ai_runs (tenant_id, id, worker_id, kind, task, input, status, current_step, source, source_key, created_by, started_at, tokens_in, tokens_out, cost_usd)
       values ($1, $2::uuid, $3, 'office_assistant', 'tidy_tasks', $4, 'awaiting_approval', 1, 'api', 'api:' || $2::text, $5, now(), 120, 30, 0.000072)`,
      [t.id, aiRun, aiWorker, JSON.stringify({ memberId: s }), t.owner.id],
    );
    await c.query(
      `insert into public.ai_run_steps (tenant_id, run_id, step_index, kind, status, attempts, input, tool_calls, output, tokens_in, tokens_out, started_at, finished_at)
       values ($1, $2, 0, 'model', 'succeeded', 1, '{"estimatedTokens": 1500}', $3, $4, 120, 30, now(), now()),
              ($1, $2, 1, 'tool', 'awaiting_approval', 1, $5, null, null, 0, 0, now(), null)`,
      [t.id, aiRun, JSON.stringify([{ id: "call_1", name: "delete_task", arguments: JSON.stringify({ taskId: doomedTask }) }]), JSON.stringify({ content: m("thinking") }),
        JSON.stringify({ callId: "call_1", name: "delete_task", args: { taskId: doomedTask }, risks: ["delete"], records: null })],
    );
    await c.query(
      `insert into public.ai_messages (tenant_id, run_id, step_index, kind, recipient_kind, recipient_id, subject, body, status)
       values ($1, $2, 0, 'draft', 'member', $3, $4, $5, 'draft')`,
      [t.id, aiRun, s, m("draft subject"), m("draft body")],
    );
    const aiApproval = uuid();
    await c.query(
      `insert into public.ai_approvals (tenant_id, id, run_id, step_index, worker_id, tool_name, arguments, arguments_hash, risks, execution_policy, settings_policy_version, worker_policy_version)
       values ($1, $2, $3, 1, $4, 'delete_task', $5::jsonb, encode(sha256(convert_to($5::jsonb::text, 'UTF8')), 'hex'), '{delete}', 'hybrid', 1, 1)`,
      [t.id, aiApproval, aiRun, aiWorker, JSON.stringify({ taskId: doomedTask })],
    );
    targets[role] = {
      memberships: s,
      departments: department,
      customers: await customer(`${role}-target`, ops, null),
      calendar_events: ev.id,
      appointments: call.appointmentId!,
      tasks: await task(s, `${role}'s subject's task`),
      notes: await note(s, `${role}'s subject's team note`, { department: ops }),
      invitations: await invitation(`invitee-${role}-${marker}@invited.test`, "employee"),
      scim_tokens: await scimToken(`${role}'s IdP`),
      scim_group_mappings: await scimMapping(`${role}-group`),
      reminders: await reminder(s, `${role}'s subject's reminder`),
      webhook_endpoints: hook.endpoint,
      webhook_deliveries: hook.delivery,
      workflows: wf.id,
      workflow_executions: wf.execution,
      ai_workers: aiWorker,
      ai_runs: aiRun,
      ai_approvals: aiApproval,
    };
  }
  return { targets, softDeleted: { tasks: deletedTask, notes: deletedNote } };
}

/**
 * Invitations that owners and admins sent in these tenants during an attack (allowed requests)
 * queue their email due at once, and webhook endpoints they created or replays they asked for
 * queue webhook attempts; marked sent here, as the drain would, so no other test's drain spends
 * its batch on them (or sends to the attack's receivers). Returns how many.
 */
export async function settleInvitationEmails(tenantIds: string[]): Promise<number> {
  const { rowCount } = await withAdmin((c) =>
    c.query(
      "update public.job_outbox set published_at = now(), message_id = 'settled-by-test-harness' where tenant_id = any($1) and job in ('invitation-email', 'adhoc-reminder', 'webhook-delivery', 'agent-run-step') and published_at is null",
      [tenantIds],
    ),
  );
  return rowCount ?? 0;
}

/** One victim tenant and `attackers` (≥ 1) attacking tenants, all fully populated. */
export async function seedWorld(options: { attackers?: number } = {}): Promise<World> {
  const count = (options.attackers ?? 2) + 1;
  const seeded = await Promise.all(Array.from({ length: count }, () => seedTenant()));
  const [victimSeed, ...attackerSeeds] = seeded as [SeededTenant, ...SeededTenant[]];
  const person = (name: string, domain: string): Person => ({ id: uuid(), email: `${name}-${hex(4)}@${domain}` });
  const markers = seeded.map(() => `zq${hex(5)}`);
  const subjects = seeded.map((t) => Object.fromEntries(ROLES.map((r) => [r, person(`subject-${r}`, `${t.slug}.test`)])) as Record<Role, Person>);
  // Per attacking tenant: a person active there and in the victim, one who left the victim, and
  // one who left the attacking tenant itself.
  const extras = attackerSeeds.map((t) => ({ dual: person("dual", "example.test"), leaver: person("leaver", "example.test"), former: person("former", `${t.slug}.test`) }));
  const filled = await withAdmin(async (c) => {
    await c.query("begin");
    await insertUsers(c, [...subjects.flatMap((s) => Object.values(s)), ...extras.flatMap((e) => [e.dual, e.leaver, e.former])]);
    for (const [i, t] of seeded.entries()) {
      for (const role of ROLES) await addMember(c, t, subjects[i]![role], "employee", { department: t.departments.operations!, name: `subject ${role} ${markers[i]}` });
    }
    for (const [i, t] of attackerSeeds.entries()) {
      const { dual, leaver, former } = extras[i]!;
      await addMember(c, t, dual, "employee", { department: t.departments.sales!, name: "dual" });
      await addMember(c, victimSeed, dual, "employee", { name: "dual" });
      await addMember(c, t, leaver, "employee", { department: t.departments.sales!, name: "leaver" });
      await addMember(c, victimSeed, leaver, "manager", { department: victimSeed.departments.operations!, active: false, name: "leaver" });
      await addMember(c, t, former, "employee", { department: t.departments.support!, active: false, name: "former" });
      await c.query("insert into public.user_settings (user_id, active_tenant_id) select u, $2 from unnest($1::uuid[]) u", [[dual.id, leaver.id, former.id], t.id]);
    }
    const result = [];
    for (const [i, t] of seeded.entries()) result.push(await fill(c, t, markers[i]!, subjects[i]!));
    for (const [i, t] of seeded.entries()) {
      const key = `idem-${markers[i]}`;
      const body = JSON.stringify({ stored: markers[i], tenant: t.id });
      await c.query("insert into public.idempotency_keys (tenant_id, key, user_id, request_hash, status_code, response_body) values ($1, $2, $3, 'h', 201, $4)", [t.id, key, t.owner.id, body]);
      await c.query("insert into public.user_idempotency_keys (user_id, key, request_hash, status_code, response_body) values ($1, $2, 'h', 200, $3)", [t.admin.id, key, body]);
    }
    await c.query("commit");
    return result;
  });

  const tenants: WorldTenant[] = [];
  for (const [i, t] of seeded.entries()) {
    const names = ["owner", "admin", "manager", "employee", "colleague", "customer"] as const;
    const actors: Record<string, Actor> = {};
    for (const n of names) actors[n] = await actor(n, t[n], t.id, { role: t[n].role, sees: [t.id] });
    const stale: Actor[] = [];
    const j = i - 1;
    if (j >= 0) {
      const { dual, leaver, former } = extras[j]!;
      actors.dual = await actor("dual", dual, t.id, { role: "employee", sees: [t.id], knows: [victimSeed.id, victimSeed.slug, `Tenant ${victimSeed.slug}`] });
      actors.leaver = await actor("leaver", leaver, t.id, { role: "employee", sees: [t.id] });
      // Their settings still name the tenant they left: its id is theirs to see, nothing else.
      stale.push(await actor("former", former, t.id, { role: null, sees: [], knows: [t.id] }));
    }
    tenants.push({
      id: t.id,
      slug: t.slug,
      host: `${t.slug}${TENANT_HOST_SUFFIX}`,
      marker: markers[i]!,
      seeded: t,
      actors,
      canonical: { owner: actors.owner!, admin: actors.admin!, manager: actors.manager!, employee: actors.employee!, customer: actors.customer! },
      targets: filled[i]!.targets,
      softDeleted: filled[i]!.softDeleted,
      stale,
      idempotencyKey: `idem-${markers[i]}`,
    });
  }
  const [victim, ...attackers] = tenants as [WorldTenant, ...WorldTenant[]];
  // Tokens naming the victim: the leaver's (their membership there ended) and an intruder's (an
  // attacker's employee who never belonged there).
  for (const [j, a] of attackers.entries()) {
    victim.stale.push(await actor(`leaver (${a.slug})`, extras[j]!.leaver, victim.id, { role: null, sees: [a.id] }));
    victim.stale.push(await actor(`intruder (${a.slug})`, a.seeded.employee, victim.id, { role: null, sees: [a.id] }));
  }
  return { victim, attackers, tenants };
}
