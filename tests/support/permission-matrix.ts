// The role × operation matrix: for every operation of the API ("METHOD /path" as in the OpenAPI
// document), the status each role gets for one canonical request inside their own tenant. It is
// data that two readers share: tests/worker/attack/ checks that each role's canonical request
// gets exactly this status (and replays the refusals under attack), and
// scripts/docs/permission-table.ts renders it into README.md (`npm run docs:permissions`), where
// tests/node/permission-matrix-docs.test.ts keeps the two equal.
//
// The canonical request addresses, in the caller's own tenant, the object named by `on` (one
// copy per role, so a delete by one role spoils nothing for another), with a body built from the
// operation's schema plus `body` ($tenant: the caller's tenant id; $operations: its operations
// department; $fresh: a new unique name; $freshEmail: a new unique email address). A new operation
// fails the suite until it has a row here.
//
// POST /v1/invitations/accept is for the invited person, who is no member yet, so no role's own
// request can succeed: the canonical request presents a token that matches no invitation, and
// every role gets the same 404 (neither the role nor the tenant in the token makes a difference:
// only the secret and the email decide). Accepting, and its refusals, are proven in
// tests/worker/members/invitations.test.ts.

export type Role = "owner" | "admin" | "manager" | "employee" | "customer";
export const MATRIX_ROLES: readonly Role[] = ["owner", "admin", "manager", "employee", "customer"];

/** The objects canonical requests address, as the README describes them. */
export const CANONICAL_OBJECTS = {
  memberships: "an employee of the manager's department",
  departments: "a department",
  customers: "a customer of the manager's department, assigned to nobody",
  calendar_events: "a meeting of an employee of the manager's department",
  appointments: "an appointment (a call) of an employee of the manager's department",
  tasks: "a task an employee of the manager's department created, assigned to nobody",
  notes: "an employee's note shared with their department, the manager's",
  invitations: "an open invitation of an employee, sent by the owner",
  scim_tokens: "an active SCIM token",
  scim_group_mappings: "an IdP group mapping",
  reminders: "an ad-hoc reminder the owner set for an employee of the manager's department",
  webhook_endpoints: "a webhook endpoint",
  webhook_deliveries: "a delivery of that webhook endpoint",
  workflows: "a workflow (manual trigger) with one finished execution",
  workflow_executions: "that workflow's execution",
  ai_workers: "an AI worker (office assistant), provisioned",
  ai_runs: "a run of that worker, waiting for approval of a delete",
  ai_approvals: "that run's pending approval request",
} as const;
export type CanonicalObject = keyof typeof CANONICAL_OBJECTS;

export interface MatrixEntry {
  /** What the path's id addresses (required exactly when the path has an id). */
  on?: CanonicalObject;
  body?: Record<string, unknown>;
  expect: Record<Role, number>;
}

/** Well-formed (43 base64url characters) and the secret of no invitation. */
export const UNKNOWN_INVITATION_TOKEN = "NoInvitationWasEverIssuedWithThisToken_0000";

const all = (status: number): Record<Role, number> => ({ owner: status, admin: status, manager: status, employee: status, customer: status });
const staff = (status: number): Record<Role, number> => ({ ...all(status), customer: 403 });
const s = (owner: number, admin: number, manager: number, employee: number, customer: number) => ({ owner, admin, manager, employee, customer });

export const PERMISSION_MATRIX: Record<string, MatrixEntry> = {
  "GET /healthz": { expect: all(200) },
  "GET /v1/me": { expect: all(200) },
  "PATCH /v1/me/settings": { expect: all(200) },
  "GET /v1/me/tenants": { expect: all(200) },
  // Per membership: a customer has no staff reminders to configure.
  "GET /v1/me/notifications": { expect: staff(200) },
  "PUT /v1/me/notifications": { body: { channels: { email: true, telegram: false }, email: null, telegramChatId: null, quietHours: { start: "22:00", end: "07:00" } }, expect: staff(200) },
  // Nothing of the caller's is waiting for verification (the real flow: tests/worker/automation/destinations.test.ts).
  "POST /v1/me/notifications/verify": { body: { channel: "telegram", code: "000000" }, expect: staff(404) },
  "POST /v1/me/active-tenant": { body: { tenantId: "$tenant" }, expect: all(200) },
  "POST /v1/tenants": { body: { slug: "$fresh", name: "$fresh" }, expect: all(201) },
  "GET /v1/members": { expect: all(200) },
  "GET /v1/members/invitations": { expect: s(200, 200, 403, 403, 403) },
  "POST /v1/members/invitations": { body: { email: "$freshEmail", role: "employee" }, expect: s(201, 201, 403, 403, 403) },
  // Who lacks members.manage sees no invitation (RLS): a revoke finds none. Customers are refused
  // by the staff route first.
  "DELETE /v1/members/invitations/{invitationId}": { on: "invitations", expect: s(200, 200, 404, 404, 403) },
  "POST /v1/invitations/accept": { body: { token: UNKNOWN_INVITATION_TOKEN }, expect: all(404) },
  "GET /v1/members/{userId}": { on: "memberships", expect: s(200, 200, 200, 200, 404) },
  "PATCH /v1/members/{userId}": { on: "memberships", body: { departmentId: "$operations" }, expect: s(200, 200, 403, 403, 403) },
  "GET /v1/departments": { expect: staff(200) },
  "POST /v1/departments": { body: { name: "$fresh" }, expect: s(201, 201, 403, 403, 403) },
  "PATCH /v1/departments/{id}": { on: "departments", body: { name: "$fresh" }, expect: s(200, 200, 403, 403, 403) },
  "DELETE /v1/departments/{id}": { on: "departments", expect: s(204, 204, 403, 403, 403) },
  "GET /v1/members/{userId}/permissions": { on: "memberships", expect: s(200, 200, 403, 403, 403) },
  "PUT /v1/members/{userId}/permissions/{permission}": { on: "memberships", expect: s(200, 200, 403, 403, 403) },
  "DELETE /v1/members/{userId}/permissions/{permission}": { on: "memberships", expect: s(200, 200, 403, 403, 403) },
  "GET /v1/customers": { expect: staff(200) },
  "POST /v1/customers": { expect: s(201, 201, 201, 403, 403) },
  "GET /v1/customers/{id}": { on: "customers", expect: s(200, 200, 200, 404, 403) },
  "PATCH /v1/customers/{id}": { on: "customers", expect: s(200, 200, 200, 404, 403) },
  "DELETE /v1/customers/{id}": { on: "customers", expect: s(204, 204, 403, 404, 403) },
  "GET /v1/calendar": { expect: staff(200) },
  "POST /v1/calendar/events": { expect: staff(201) },
  "GET /v1/calendar/events/{id}": { on: "calendar_events", expect: s(200, 200, 200, 404, 403) },
  "PATCH /v1/calendar/events/{id}": { on: "calendar_events", expect: s(200, 200, 403, 404, 403) },
  "DELETE /v1/calendar/events/{id}": { on: "calendar_events", expect: s(204, 204, 403, 404, 403) },
  "GET /v1/appointments": { expect: staff(200) },
  "POST /v1/appointments": { expect: staff(201) },
  "GET /v1/appointments/{id}": { on: "appointments", expect: s(200, 200, 200, 404, 403) },
  "PATCH /v1/appointments/{id}": { on: "appointments", expect: s(200, 200, 403, 404, 403) },
  "POST /v1/appointments/{id}/cancel": { on: "appointments", expect: s(200, 200, 403, 404, 403) },
  "GET /v1/tasks": { expect: staff(200) },
  "POST /v1/tasks": { expect: staff(201) },
  "GET /v1/tasks/{id}": { on: "tasks", expect: s(200, 200, 200, 404, 403) },
  "PATCH /v1/tasks/{id}": { on: "tasks", expect: s(200, 200, 200, 404, 403) },
  "DELETE /v1/tasks/{id}": { on: "tasks", expect: s(204, 204, 403, 404, 403) },
  "GET /v1/tasks/{id}/comments": { on: "tasks", expect: s(200, 200, 200, 404, 403) },
  "POST /v1/tasks/{id}/comments": { on: "tasks", expect: s(201, 201, 201, 404, 403) },
  "GET /v1/tasks/{id}/time-logs": { on: "tasks", expect: s(200, 200, 200, 404, 403) },
  "POST /v1/tasks/{id}/time-logs": { on: "tasks", expect: s(201, 201, 201, 404, 403) },
  "GET /v1/notes": { expect: staff(200) },
  "POST /v1/notes": { expect: staff(201) },
  "GET /v1/notes/{id}": { on: "notes", expect: s(404, 404, 200, 404, 403) },
  "PATCH /v1/notes/{id}": { on: "notes", expect: s(404, 404, 403, 404, 403) },
  "DELETE /v1/notes/{id}": { on: "notes", expect: s(404, 404, 403, 404, 403) },
  "GET /v1/dashboard": { expect: staff(200) },
  "GET /v1/portal/dashboard": { expect: s(403, 403, 403, 403, 200) },
  "GET /v1/portal/appointments": { expect: s(403, 403, 403, 403, 200) },
  "GET /v1/portal/tasks": { expect: s(403, 403, 403, 403, 200) },
  "GET /v1/portal/notes": { expect: s(403, 403, 403, 403, 200) },
  "GET /v1/usage": { expect: s(200, 200, 403, 403, 403) },
  "GET /v1/automation/settings": { expect: s(200, 200, 200, 403, 403) },
  "PUT /v1/automation/settings": { body: { reminderOffsetsMinutes: [1440, 60] }, expect: s(200, 200, 403, 403, 403) },
  // Anyone on staff reminds themselves; they see their own reminders, automation.read all of them.
  "GET /v1/automation/reminders": { expect: staff(200) },
  "POST /v1/automation/reminders": { body: { text: "$fresh", remindAt: "$future", channels: null }, expect: staff(201) },
  // Without automation.read an employee does not see another's reminder (404); a manager sees it but
  // may not cancel it (automation.manage).
  "GET /v1/automation/reminders/{reminderId}": { on: "reminders", expect: s(200, 200, 200, 404, 403) },
  "DELETE /v1/automation/reminders/{reminderId}": { on: "reminders", expect: s(200, 200, 403, 404, 403) },
  "GET /v1/admin/scim/tokens": { expect: s(200, 200, 403, 403, 403) },
  "POST /v1/admin/scim/tokens": { body: { name: "$fresh" }, expect: s(201, 201, 403, 403, 403) },
  "POST /v1/admin/scim/tokens/{tokenId}/rotate": { on: "scim_tokens", body: {}, expect: s(201, 201, 403, 403, 403) },
  "DELETE /v1/admin/scim/tokens/{tokenId}": { on: "scim_tokens", expect: s(200, 200, 403, 403, 403) },
  "GET /v1/admin/scim/group-mappings": { expect: s(200, 200, 403, 403, 403) },
  "PUT /v1/admin/scim/group-mappings": { body: { groupName: "$fresh", role: "employee" }, expect: s(200, 200, 403, 403, 403) },
  "DELETE /v1/admin/scim/group-mappings/{mappingId}": { on: "scim_group_mappings", expect: s(200, 200, 403, 403, 403) },
  // Built-in templates: automation.read lists them, automation.manage turns them on and off.
  "GET /v1/automation/templates": { expect: s(200, 200, 200, 403, 403) },
  "POST /v1/automation/templates/{key}/enable": { expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/templates/{key}/disable": { expect: s(200, 200, 403, 403, 403) },
  "GET /v1/automation/events": { expect: s(200, 200, 200, 403, 403) },
  "GET /v1/automation/webhooks": { expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/webhooks": { body: { url: "https://receiver.example.com/hook" }, expect: s(201, 201, 403, 403, 403) },
  "GET /v1/automation/webhooks/{id}": { on: "webhook_endpoints", expect: s(200, 200, 403, 403, 403) },
  "PATCH /v1/automation/webhooks/{id}": { on: "webhook_endpoints", body: { description: "$fresh" }, expect: s(200, 200, 403, 403, 403) },
  "DELETE /v1/automation/webhooks/{id}": { on: "webhook_endpoints", expect: s(204, 204, 403, 403, 403) },
  "POST /v1/automation/webhooks/{id}/rotate-secret": { on: "webhook_endpoints", expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/webhooks/{id}/enable": { on: "webhook_endpoints", expect: s(200, 200, 403, 403, 403) },
  "GET /v1/automation/webhooks/{id}/deliveries": { on: "webhook_endpoints", expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/webhooks/{id}/deliveries/{deliveryId}/replay": { on: "webhook_endpoints", expect: s(202, 202, 403, 403, 403) },
  // Workflows: automation.read (owners, admins, managers) reads; automation.manage (owners,
  // admins) writes and runs. A member without the permission is refused (403), not shown empty.
  "GET /v1/automation/workflows": { expect: s(200, 200, 200, 403, 403) },
  "POST /v1/automation/workflows": {
    body: { name: "$fresh", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] },
    expect: s(201, 201, 403, 403, 403),
  },
  "GET /v1/automation/workflows/{id}": { on: "workflows", expect: s(200, 200, 200, 403, 403) },
  "PATCH /v1/automation/workflows/{id}": { on: "workflows", body: { name: "$fresh" }, expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/workflows/{id}/activate": { on: "workflows", expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/workflows/{id}/deactivate": { on: "workflows", expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/workflows/{id}/run": { on: "workflows", body: {}, expect: s(202, 202, 403, 403, 403) },
  "GET /v1/automation/workflows/{id}/executions": { on: "workflows", expect: s(200, 200, 200, 403, 403) },
  "GET /v1/automation/workflows/{id}/executions/{executionId}": { on: "workflows", expect: s(200, 200, 200, 403, 403) },
  "GET /v1/automation/workflows/{id}/webhook": { on: "workflows", expect: s(200, 200, 403, 403, 403) },
  "POST /v1/automation/workflows/{id}/webhook/rotate-secret": { on: "workflows", expect: s(200, 200, 403, 403, 403) },
  // AI workers: ai.read (owners, admins, managers) reads; ai.manage (owners, admins) provisions,
  // changes and sets the policy.
  "GET /v1/ai/worker-kinds": { expect: s(200, 200, 200, 403, 403) },
  "GET /v1/ai/workers": { expect: s(200, 200, 200, 403, 403) },
  "POST /v1/ai/workers": { body: { kind: "office_assistant", name: "$fresh" }, expect: s(201, 201, 403, 403, 403) },
  "GET /v1/ai/workers/{id}": { on: "ai_workers", expect: s(200, 200, 200, 403, 403) },
  "PATCH /v1/ai/workers/{id}": { on: "ai_workers", body: { name: "$fresh" }, expect: s(200, 200, 403, 403, 403) },
  "POST /v1/ai/workers/{id}/status": { on: "ai_workers", body: { status: "active" }, expect: s(200, 200, 403, 403, 403) },
  "GET /v1/ai/workers/{id}/events": { on: "ai_workers", expect: s(200, 200, 200, 403, 403) },
  "GET /v1/ai/policy": { expect: s(200, 200, 200, 403, 403) },
  "PUT /v1/ai/policy": { body: { executionPolicy: "hybrid" }, expect: s(200, 200, 403, 403, 403) },
  // Runs: ai.manage starts them (after the canonical status change made the worker active); ai.read
  // reads runs, traces and approvals; ai.approve (owners, admins) decides approvals. A rejection
  // comes after the approval and withdraws it (its action has not run yet).
  "POST /v1/ai/workers/{id}/runs": { on: "ai_workers", body: { task: "summarize_tasks", input: { memberId: "00000000-0000-4000-8000-000000000000" } }, expect: s(202, 202, 403, 403, 403) },
  "GET /v1/ai/workers/{id}/runs": { on: "ai_workers", expect: s(200, 200, 200, 403, 403) },
  "GET /v1/ai/runs/{id}": { on: "ai_runs", expect: s(200, 200, 200, 403, 403) },
  "GET /v1/ai/approvals": { expect: s(200, 200, 200, 403, 403) },
  "GET /v1/ai/approvals/{id}": { on: "ai_approvals", expect: s(200, 200, 200, 403, 403) },
  "POST /v1/ai/approvals/{id}/approve": { on: "ai_approvals", body: {}, expect: s(200, 200, 403, 403, 403) },
  "POST /v1/ai/approvals/{id}/reject": { on: "ai_approvals", body: {}, expect: s(200, 200, 403, 403, 403) },
  // No user token is a webhook signature (Standard Webhooks, per-workflow secret).
  "POST /hooks/workflows/{id}": { on: "workflows", body: {}, expect: all(401) },
  // A user's access token is not a QStash signature.
  "POST /hooks/qstash/{job}": { expect: all(401) },
};

/** A status as the README shows it: allowed, refused, or invisible (like another tenant's object). */
export function statusLabel(status: number): string {
  if (status >= 200 && status < 300) return `✅ ${status}`;
  if (status === 404) return "🙈 404";
  return `⛔ ${status}`;
}
