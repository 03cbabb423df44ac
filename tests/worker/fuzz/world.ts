// The world the fuzzer acts in: several seeded tenants (every role, enterprise-plan tokens, a few
// objects of every kind so ids in paths and bodies hit real rows), one bystander tenant whose ids
// are in play but whose members never call, and attackers: anonymous, forged, expired,
// `alg: none`, strangers, and members claiming a tenant they do not belong to.
import fc from "fast-check";
import { API_HOST, TENANT_HOST_SUFFIX } from "../../support/config.ts";
import { withAdmin } from "../../support/db.ts";
import { call } from "../../support/http.ts";
import { createUser, seedTenant, type SeededTenant, type SeededUser } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";
import type { DigestScope } from "./digest.ts";
import type { Caller, FuzzContext } from "./requests.ts";
import { Schemas, type OpenApiDoc } from "./schema.ts";

const KINDS = ["users", "departments", "customers", "tasks", "notes", "appointments", "events", "invitations", "scimTokens", "groupMappings", "reminders", "workflows", "executions", "aiWorkers", "aiRuns", "approvals", "tenants"] as const;
type Kind = (typeof KINDS)[number];
type Ids = Record<Kind, string[]>;

export interface World {
  ctx: FuzzContext;
  tenants: SeededTenant[];
  bystander: SeededTenant;
  /** What the digests cover: the fuzzed tenants, the bystander, and their people. */
  scope: DigestScope;
}

const ROLES = ["owner", "admin", "manager", "employee", "colleague", "customer"] as const;
const enterprise = (u: SeededUser, tenantId = u.tenantId) => hs256Token({ id: u.id, email: u.email, tenantId }, { claims: { tenant_plan: "enterprise" } });

export async function buildWorld(doc: OpenApiDoc, tenantCount: number): Promise<World> {
  const all = await Promise.all(Array.from({ length: tenantCount + 1 }, () => seedTenant()));
  const tenants = all.slice(0, tenantCount);
  const bystander = all[tenantCount]!;
  const ids = await Promise.all(all.map(populate));

  const callers: Caller[] = [];
  for (const [i, t] of tenants.entries()) {
    for (const role of ROLES) callers.push({ label: `t${i}:${role}`, home: i, authorization: `Bearer ${await enterprise(t[role])}` });
  }
  const t0 = tenants[0]!;
  const stranger = await createUser();
  const none = (payload: object) => [{ alg: "none", typ: "JWT" }, payload].map((p) => btoa(JSON.stringify(p)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")).join(".") + ".";
  const now = Math.floor(Date.now() / 1000);
  callers.push(
    { label: "anonymous", home: null, authorization: null },
    { label: "forged", home: null, authorization: `Bearer ${await hs256Token({ id: t0.owner.id, tenantId: t0.id }, { secret: "not-the-secret-not-the-secret-not-the-secret" })}` },
    { label: "expired", home: null, authorization: `Bearer ${await hs256Token({ id: t0.owner.id, tenantId: t0.id }, { issuedAt: now - 3600, expiresIn: now - 1800 })}` },
    { label: "alg-none", home: null, authorization: `Bearer ${none({ sub: t0.owner.id, tenant_id: t0.id, role: "authenticated", exp: now + 600 })}` },
    { label: "stranger", home: null, authorization: `Bearer ${await hs256Token({ id: stranger.id, email: stranger.email }, { claims: { tenant_plan: "enterprise" } })}` },
    { label: "unknown-user@t0", home: null, authorization: `Bearer ${await hs256Token({ id: crypto.randomUUID(), tenantId: t0.id }, { claims: { tenant_plan: "enterprise" } })}` },
    { label: "t0:owner-claiming-bystander", home: null, authorization: `Bearer ${await enterprise(t0.owner, bystander.id)}` },
    { label: "t0:employee-claiming-t1", home: null, authorization: `Bearer ${await enterprise(t0.employee, tenants[1 % tenantCount]!.id)}` },
    { label: "garbage", home: null, authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA" },
  );

  const pool = (homes: number[], kind: Kind | null) => homes.flatMap((h) => (kind ? ids[h]![kind] : KINDS.flatMap((k) => ids[h]![k])));
  const everyone = all.map((_, i) => i);
  const uuids = (home: number | null) => (hint: string): fc.Arbitrary<string> => {
    const kind = kindOf(hint);
    const own = home === null ? everyone : [home];
    return fc.oneof(
      { arbitrary: fc.constantFrom(...pool(own, kind)), weight: 8 },
      { arbitrary: fc.constantFrom(...pool(everyone, kind)), weight: 2 },
      { arbitrary: fc.constantFrom(...pool(everyone, null)), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.constant("00000000-0000-0000-0000-000000000000"), weight: 1 },
    );
  };
  const schemas = new Map<number | null, Schemas>();
  const schemasFor = (home: number | null) => {
    if (!schemas.has(home)) schemas.set(home, new Schemas(doc, uuids(home)));
    return schemas.get(home)!;
  };

  const hosts = all.map((t) => `${t.slug}${TENANT_HOST_SUFFIX}`);
  const ctx: FuzzContext = {
    apiHost: API_HOST,
    otherHosts: [...hosts, "evil.test", "127.0.0.1", API_HOST.toUpperCase(), `${API_HOST}:8443`, `${API_HOST}.evil.test`, `x${TENANT_HOST_SUFFIX}`],
    callers,
    schemasFor,
    tenantIds: all.map((t) => t.id),
  };
  const people = all.flatMap((t) => ROLES.map((r) => ({ id: t[r].id, tenantId: t.id })));
  return { ctx, tenants, bystander, scope: { tenantIds: all.map((t) => t.id), users: people } };
}

function kindOf(hint: string): Kind | null {
  if (/invitation/i.test(hint)) return "invitations";
  if (/reminder/i.test(hint)) return "reminders";
  if (/execution/i.test(hint)) return "executions";
  if (/workflow/i.test(hint)) return "workflows";
  if (/approval/i.test(hint)) return "approvals";
  if (/^runs?$/i.test(hint)) return "aiRuns";
  if (/^ai$|worker/i.test(hint)) return "aiWorkers";
  if (/token/i.test(hint)) return "scimTokens";
  if (/mapping/i.test(hint)) return "groupMappings";
  if (/task/i.test(hint)) return "tasks";
  if (/note/i.test(hint)) return "notes";
  if (/appointment/i.test(hint)) return "appointments";
  if (/calendar|event/i.test(hint)) return "events";
  if (/customer/i.test(hint)) return "customers";
  if (/department/i.test(hint)) return "departments";
  if (/tenant/i.test(hint)) return "tenants";
  if (/user|assigned|attendee|member/i.test(hint)) return "users";
  return null;
}

/** A few objects of every kind, created through the API as the tenant's own people would. */
async function populate(t: SeededTenant): Promise<Ids> {
  const [owner, manager, employee] = await Promise.all([enterprise(t.owner), enterprise(t.manager), enterprise(t.employee)]);
  const create = async (path: string, token: string, body: object): Promise<Record<string, unknown>> => {
    const res = await call(path, { token, body });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`seeding ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const at = (days: number, hour: number) => new Date(Date.UTC(2030, 0, 7 + days, hour)).toISOString();
  const soon = new Date(Date.now() + 24 * 3600_000).toISOString();
  const [task1, task2, note, appointment, event, hire, buyer, ownReminder, assignedReminder] = await Promise.all([
    create("/v1/tasks", owner, { title: "Call the lab", assignedTo: t.employee.id, customerId: t.customerRecordId }),
    create("/v1/tasks", manager, { title: "Order gloves", dueAt: at(1, 12) }),
    create("/v1/notes", employee, { title: "Shared note", body: "for the team", shareWithDepartment: true }),
    create("/v1/appointments", owner, { kind: "meeting", title: "Check-up", start: at(2, 9), end: at(2, 10), customerId: t.customerRecordId, attendeeIds: [t.employee.id] }),
    create("/v1/calendar/events", manager, { kind: "reminder", title: "Inventory", start: at(3, 9), end: at(3, 10) }),
    create("/v1/members/invitations", owner, { email: `hire@${t.slug}.test`, role: "employee", departmentId: t.departments.sales }),
    create("/v1/members/invitations", owner, { email: `buyer-user@${t.slug}.test`, role: "customer", customerId: t.customerRecordId }),
    create("/v1/automation/reminders", employee, { text: "Order gloves", remindAt: soon }),
    create("/v1/automation/reminders", owner, { text: "Call the lab", remindAt: soon, userId: t.employee.id, channels: ["email"] }),
  ]);
  // SCIM's control plane: a token and a group mapping (PUT answers 200).
  const [scimToken, mapping] = await Promise.all([
    create("/v1/admin/scim/tokens", owner, { name: "Fuzz IdP" }),
    call("/v1/admin/scim/group-mappings", { method: "PUT", token: owner, body: { groupName: "Fuzzers", role: "employee" } }).then(async (res) => {
      if (res.status !== 200) throw new Error(`seeding a group mapping: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    }),
  ]);
  const aiWorker = await create("/v1/ai/workers", owner, { kind: "office_assistant", name: "Fuzz assistant" });
  // An active worker with one run, stopped at an approval request for a delete (the model step is
  // written as the runtime would: the fuzzer exercises the routes, not the model).
  const activeWorker = await create("/v1/ai/workers", owner, { kind: "office_assistant", name: "Fuzz tidier" });
  const activated = await call(`/v1/ai/workers/${activeWorker.id as string}/status`, { token: owner, body: { status: "active" } });
  if (activated.status !== 200) throw new Error(`activating a worker: ${activated.status} ${await activated.text()}`);
  const aiRunRes = await call(`/v1/ai/workers/${activeWorker.id as string}/runs`, { token: owner, body: { task: "tidy_tasks", input: { memberId: t.employee.id } } });
  if (aiRunRes.status !== 202) throw new Error(`seeding an AI run: ${aiRunRes.status} ${await aiRunRes.text()}`);
  const aiRun = (await aiRunRes.json()) as { id: string };
  const approvalId = await withAdmin(async (c) => {
    const args = JSON.stringify({ taskId: task1!.id });
    await c.query("update public.job_outbox set published_at = now(), message_id = 'settled-by-fuzz-world' where job = 'agent-run-step' and payload ->> 'runId' = $1", [aiRun.id]);
    await c.query("update public.ai_run_steps set status = 'succeeded', attempts = 1, finished_at = now() where tenant_id = $1 and run_id = $2 and step_index = 0", [t.id, aiRun.id]);
    await c.query(
      `insert into public.ai_run_steps (tenant_id, run_id, step_index, kind, status, attempts, input, started_at)
       values ($1, $2, 1, 'tool', 'awaiting_approval', 1, jsonb_build_object('callId', 'call_1', 'name', 'delete_task', 'args', $3::jsonb, 'risks', '["delete"]'::jsonb), now())`,
      [t.id, aiRun.id, args],
    );
    await c.query("update public.ai_runs set status = 'awaiting_approval', current_step = 1 where tenant_id = $1 and id = $2", [t.id, aiRun.id]);
    const { rows } = await c.query(
      `insert into public.ai_approvals (tenant_id, run_id, step_index, worker_id, tool_name, arguments, arguments_hash, risks, execution_policy, settings_policy_version, worker_policy_version)
       values ($1, $2, 1, $3, 'delete_task', $4::jsonb, encode(sha256(convert_to($4::jsonb::text, 'UTF8')), 'hex'), '{delete}', 'hybrid', 0, 1) returning id`,
      [t.id, aiRun.id, activeWorker.id, args],
    );
    return rows[0].id as string;
  });
  // A workflow and one manual run of it (an execution with its queued first step).
  const workflow = await create("/v1/automation/workflows", owner, { name: "Fuzz report", trigger: { type: "manual" }, actions: [{ type: "aggregate_tasks" }, { type: "generate_summary" }] });
  const runRes = await call(`/v1/automation/workflows/${workflow.id as string}/run`, { token: owner, body: {} });
  if (runRes.status !== 202) throw new Error(`seeding a workflow run: ${runRes.status} ${await runRes.text()}`);
  const execution = (await runRes.json()) as Record<string, unknown>;
  // Built-in templates on: their rows, and the follow-up's workflow.
  for (const key of ["appointment_follow_up", "daily_digest"]) {
    const res = await call(`/v1/automation/templates/${key}/enable`, { token: owner, method: "POST" });
    if (res.status !== 200) throw new Error(`enabling template ${key}: ${res.status} ${await res.text()}`);
  }
  return {
    users: ROLES.map((r) => t[r].id),
    departments: Object.values(t.departments),
    customers: [t.customerRecordId],
    tasks: [task1!.id as string, task2!.id as string],
    notes: [note!.id as string],
    appointments: [appointment!.id as string],
    events: [event!.id as string, appointment!.eventId as string],
    invitations: [hire!.id as string, buyer!.id as string],
    reminders: [ownReminder!.id as string, assignedReminder!.id as string],
    scimTokens: [scimToken.id as string],
    groupMappings: [mapping.id as string],
    workflows: [workflow.id as string],
    executions: [execution.id as string],
    aiWorkers: [aiWorker.id as string, activeWorker.id as string],
    aiRuns: [aiRun.id],
    approvals: [approvalId],
    tenants: [t.id],
  };
}
