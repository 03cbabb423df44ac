// Invitations end to end: invite → the invitation-email job → Supabase Auth (the local stand-in,
// reached by @supabase/supabase-js exactly as production reaches Auth) → the outbox → accept.
import { describe, expect, inject, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { createUser, seedTenant, type SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

type Invitation = { id: string; email: string; role: string; status: string; departmentId: string | null; emailedAt: string | null; revokedAt: string | null };
type Message = { kind: "invite" | "magiclink"; to: string; redirectTo: string; userId: string; data: Record<string, unknown> };

const short = () => crypto.randomUUID().slice(0, 8);

async function outbox(to: string): Promise<Message[]> {
  const key = inject("supabaseSecretKey");
  const res = await fetch(`${inject("supabaseUrl")}/outbox`, { headers: { authorization: `Bearer ${key}`, apikey: key } });
  expect(res.status).toBe(200);
  return ((await res.json()) as Message[]).filter((m) => m.to === to);
}

async function invite(t: SeededTenant, body: Record<string, unknown>, token?: string): Promise<Response> {
  return call("/v1/members/invitations", { method: "POST", token: token ?? (await t.owner.token()), body });
}

/** Invites, runs the email job as QStash would, and returns the invitation and the emailed secret. */
async function invited(t: SeededTenant, body: Record<string, unknown>, by?: SeededTenant["owner"]) {
  const res = await invite(t, body, by ? await by.token() : undefined);
  expect(res.status).toBe(201);
  const invitation = await json<Invitation>(res);
  const sent = await json<{ result: { outcome: string; kind?: string } }>(await deliver("invitation-email", { tenantId: t.id, invitationId: invitation.id }));
  expect(sent.result.outcome).toBe("sent");
  const messages = await outbox(invitation.email);
  const message = messages.at(-1)!;
  const secret = new URL(message.redirectTo).searchParams.get("invitation_token")!;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { invitation, message, messages, secret, kind: sent.result.kind };
}

const accept = (token: string, secret: string) => call("/v1/invitations/accept", { method: "POST", token, body: { token: secret } });

describe("invitations", () => {
  it("invite → email → accept: the person's token works in that tenant with the invited role", async () => {
    const t = await seedTenant();
    const email = `new-${short()}@example.test`;
    const { invitation, message, messages, secret, kind } = await invited(t, { email: email.toUpperCase(), role: "employee", departmentId: t.departments.sales });
    expect(invitation).toMatchObject({ email, role: "employee", status: "pending", departmentId: t.departments.sales, emailedAt: null });
    expect(kind).toBe("invite");
    expect(messages).toHaveLength(1);
    expect(message).toMatchObject({ kind: "invite", to: email, data: { role: "employee" } });
    // The secret is stored nowhere: only its hash, which is not the secret.
    const stored = await withAdmin((c) => c.query("select encode(token_hash, 'hex') as h, emailed_at from public.invitations where id = $1", [invitation.id]));
    expect(stored.rows[0].h).not.toContain(secret);
    expect(stored.rows[0].emailed_at).not.toBeNull();

    // A redelivery of the job sends nothing more: exactly one message per invitation.
    const again = await json<{ result: { outcome: string } }>(await deliver("invitation-email", { tenantId: t.id, invitationId: invitation.id }));
    expect(again.result.outcome).toBe("nothing to send");
    expect(await outbox(email)).toHaveLength(1);

    // Auth created the account; the person signs in (no tenant yet) and accepts.
    const person = { id: message.userId, email };
    const res = await accept(await hs256Token(person), secret);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ tenantId: t.id, role: "employee", departmentId: t.departments.sales, invitationId: invitation.id, alreadyAccepted: false, tokenRefreshRequired: true });

    const token = await hs256Token({ ...person, tenantId: t.id });
    const me = await json<{ tenant: { id: string; role: string } }>(await call("/v1/me", { token }));
    expect(me.tenant).toMatchObject({ id: t.id, role: "employee" });
    const member = await json(await call(`/v1/members/${person.id}`, { token: await t.owner.token() }));
    expect(member).toMatchObject({ userId: person.id, email, role: "employee", departmentId: t.departments.sales, active: true });
    expect((await call("/v1/tasks", { token })).status).toBe(200);

    // Re-accepting is a no-op; membership, settings and the audit trail were written once.
    expect(await json(await accept(token, secret))).toMatchObject({ alreadyAccepted: true, tokenRefreshRequired: false });
    const rows = await withAdmin(async (c) => ({
      memberships: (await c.query("select count(*)::int as n from public.memberships where tenant_id = $1 and user_id = $2", [t.id, person.id])).rows[0].n,
      active: (await c.query("select active_tenant_id from public.user_settings where user_id = $1", [person.id])).rows[0]?.active_tenant_id,
      audit: (await c.query("select action, actor_id from public.audit_log where tenant_id = $1 and resource_id in ($2, $3) order by id", [t.id, invitation.id, person.id])).rows,
    }));
    expect(rows.memberships).toBe(1);
    expect(rows.active).toBe(t.id);
    expect(rows.audit).toEqual([
      { action: "invitations.insert", actor_id: t.owner.id },
      { action: "invitations.update", actor_id: null },
      { action: "invitations.update", actor_id: person.id },
      { action: "memberships.insert", actor_id: person.id },
      { action: "user_settings.insert", actor_id: person.id },
    ]);
  });

  it("refuses expired, revoked, reused, wrong-email and unknown invitations, and changes nothing", async () => {
    const t = await seedTenant();
    const expired = await invited(t, { email: `exp-${short()}@example.test`, role: "employee" });
    await withAdmin((c) => c.query("update public.invitations set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = $1", [expired.invitation.id]));
    await expectProblem(await accept(await hs256Token({ id: expired.message.userId, email: expired.invitation.email }), expired.secret), 410, "invitation_expired");

    const revoked = await invited(t, { email: `rev-${short()}@example.test`, role: "employee" });
    const del = await call(`/v1/members/invitations/${revoked.invitation.id}`, { method: "DELETE", token: await t.admin.token() });
    expect(del.status).toBe(200);
    expect(await json(del)).toMatchObject({ status: "revoked" });
    expect((await call(`/v1/members/invitations/${revoked.invitation.id}`, { method: "DELETE", token: await t.admin.token() })).status).toBe(200);
    await expectProblem(await accept(await hs256Token({ id: revoked.message.userId, email: revoked.invitation.email }), revoked.secret), 410, "invitation_revoked");

    const used = await invited(t, { email: `use-${short()}@example.test`, role: "employee" });
    const wrong = await createUser();
    const wrongRes = await expectProblem(await accept(await hs256Token(wrong), used.secret), 403, "invitation_wrong_email");
    expect(JSON.stringify(wrongRes)).not.toContain(used.invitation.email);
    expect((await accept(await hs256Token({ id: used.message.userId, email: used.invitation.email }), used.secret)).status).toBe(200);
    // Someone else presenting the same (now spent) secret, even with the invited address.
    await expectProblem(await accept(await hs256Token({ id: crypto.randomUUID(), email: used.invitation.email }), used.secret), 409, "invitation_used");
    await expectProblem(await call(`/v1/members/invitations/${used.invitation.id}`, { method: "DELETE", token: await t.owner.token() }), 409, "invitation_used");

    // An invitation outlives neither its sender's membership nor their right to give the role.
    const offboarded = await invited(t, { email: `off-${short()}@example.test`, role: "admin" }, t.admin);
    await withAdmin((c) => c.query("update public.memberships set active = false where tenant_id = $1 and user_id = $2", [t.id, t.admin.id]));
    await expectProblem(await accept(await hs256Token({ id: offboarded.message.userId, email: offboarded.invitation.email }), offboarded.secret), 410, "invitation_revoked");

    await expectProblem(await accept(await hs256Token(wrong), "A".repeat(43)), 404, "not_found");
    await expectProblem(await accept(await hs256Token(wrong), "short"), 400, "bad_request");
    const members = await withAdmin((c) =>
      c.query("select user_id from public.memberships where tenant_id = $1 and user_id = any ($2::uuid[])", [t.id, [expired.message.userId, revoked.message.userId, wrong.id]]),
    );
    expect(members.rows).toEqual([]);
  });

  it("another tenant's invitation is 404, and its list shows none of them", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    const { invitation, secret, message } = await invited(a, { email: `x-${short()}@example.test`, role: "manager" });
    await expectProblem(await call(`/v1/members/invitations/${invitation.id}`, { method: "DELETE", token: await b.owner.token() }), 404, "not_found");
    const list = await json<{ data: Invitation[] }>(await call("/v1/members/invitations", { token: await b.owner.token() }));
    expect(list.data).toEqual([]);
    const mine = await json<{ data: Invitation[] }>(await call("/v1/members/invitations?status=pending", { token: await a.admin.token() }));
    expect(mine.data.map((i) => i.id)).toEqual([invitation.id]);
    // Accepting while acting in tenant b joins tenant a (the invitation names it), nothing in b.
    const res = await accept(await hs256Token({ id: message.userId, email: invitation.email, tenantId: b.id }), secret);
    expect(await json(res)).toMatchObject({ tenantId: a.id, role: "manager" });
  });

  it("nobody invites above their own role or without members.manage; members and customers are refused", async () => {
    const t = await seedTenant();
    await expectProblem(await invite(t, { email: `o-${short()}@example.test`, role: "owner" }, await t.admin.token()), 403, "forbidden");
    for (const actor of [t.manager, t.employee]) {
      await expectProblem(await invite(t, { email: `e-${short()}@example.test`, role: "employee" }, await actor.token()), 403, "forbidden");
      await expectProblem(await call("/v1/members/invitations", { token: await actor.token() }), 403, "forbidden");
    }
    await expectProblem(await invite(t, { email: `c-${short()}@example.test`, role: "employee" }, await t.customer.token()), 403, "forbidden");
    // A manager granted members.manage invites employees, never an admin, and cannot revoke the owner's admin invitation.
    expect((await call(`/v1/members/${t.manager.id}/permissions/members.manage`, { method: "PUT", token: await t.owner.token(), body: { effect: "grant" } })).status).toBe(200);
    const manager = await t.manager.token();
    expect((await invite(t, { email: `m-${short()}@example.test`, role: "employee" }, manager)).status).toBe(201);
    await expectProblem(await invite(t, { email: `m-${short()}@example.test`, role: "admin" }, manager), 403, "forbidden");
    const adminInvite = await json<Invitation>(await invite(t, { email: `a-${short()}@example.test`, role: "admin" }));
    await expectProblem(await call(`/v1/members/invitations/${adminInvite.id}`, { method: "DELETE", token: manager }), 403, "forbidden");
    // Nor replace it by inviting the same address again.
    await expectProblem(await invite(t, { email: adminInvite.email, role: "employee" }, manager), 409, "conflict");
    // An owner may invite an owner.
    expect((await invite(t, { email: `o-${short()}@example.test`, role: "owner" })).status).toBe(201);
  });

  it("names the problem: an existing member's email, a bad email, a customerId for staff", async () => {
    const t = await seedTenant();
    const member = await expectProblem(await invite(t, { email: t.employee.email, role: "employee" }), 409, "already_member");
    expect(member.errors).toEqual([{ path: "body.email", message: "is already a member" }]);
    const bad = await expectProblem(await invite(t, { email: "not-an-email", role: "employee" }), 400, "bad_request");
    expect(JSON.stringify(bad.errors)).toContain("body.email");
    const staff = await expectProblem(await invite(t, { email: `s-${short()}@example.test`, role: "employee", customerId: t.customerRecordId }), 400, "bad_request");
    expect(JSON.stringify(staff.errors)).toContain("body.customerId");
    await expectProblem(await invite(t, { email: `d-${short()}@example.test`, role: "employee", departmentId: crypto.randomUUID() }), 404, "not_found");
  });

  it("binds a customer user only to a customer the caller can see, when inviting and when relinking a member", async () => {
    // members.manage without customers.read_all: the employee sees only customers assigned to them
    // or of their department (sales). Before the guard, they invited an address of their own as
    // the hidden customer's user, accepted, and read that customer's portal.
    const t = await seedTenant();
    const [hidden, visible] = [crypto.randomUUID(), crypto.randomUUID()];
    await withAdmin((c) =>
      c.query("insert into public.customers (id, tenant_id, name, department_id, assigned_to) values ($1, $3, 'Hidden Ltd', $4, null), ($2, $3, 'Visible Ltd', $4, $5)", [
        hidden, visible, t.id, t.departments.support, t.employee.id,
      ]),
    );
    expect((await call(`/v1/members/${t.employee.id}/permissions/members.manage`, { method: "PUT", token: await t.owner.token(), body: { effect: "grant" } })).status).toBe(200);
    const lead = await t.employee.token();
    await expectProblem(await call(`/v1/customers/${hidden}`, { token: lead }), 404, "not_found");

    const invitedHidden = await expectProblem(await invite(t, { email: `h-${short()}@example.test`, role: "customer", customerId: hidden }, lead), 404, "not_found");
    expect((invitedHidden.errors as { path: string }[]).map((e) => e.path)).toEqual(["body.customerId"]);
    const relinked = await expectProblem(await call(`/v1/members/${t.customer.id}`, { method: "PATCH", token: lead, body: { customerId: hidden } }), 404, "not_found");
    expect((relinked.errors as { path: string }[]).map((e) => e.path)).toEqual(["body.customerId"]);
    const rows = await withAdmin(async (c) => ({
      invitations: (await c.query("select count(*)::int as n from public.invitations where tenant_id = $1 and customer_id = $2", [t.id, hidden])).rows[0].n,
      linked: (await c.query("select customer_id from public.memberships where tenant_id = $1 and user_id = $2", [t.id, t.customer.id])).rows[0].customer_id,
    }));
    expect(rows).toEqual({ invitations: 0, linked: t.customerRecordId });

    // A customer they can see is theirs to bind; the owner sees every customer, and the person
    // invited to the hidden one by the owner joins as its customer user.
    expect((await invite(t, { email: `v-${short()}@example.test`, role: "customer", customerId: visible }, lead)).status).toBe(201);
    const { invitation, message, secret } = await invited(t, { email: `o-${short()}@example.test`, role: "customer", customerId: hidden });
    expect(await json(await accept(await hs256Token({ id: message.userId, email: invitation.email }), secret))).toMatchObject({ tenantId: t.id, role: "customer" });
    const member = await json(await call(`/v1/members/${message.userId}`, { token: await t.owner.token() }));
    expect(member).toMatchObject({ role: "customer", customerId: hidden });
  });

  it("inviting again replaces the open invitation; a person with an account gets a sign-in link", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    // Someone who already has an account (a member of another business).
    const email = other.employee.email;
    const first = await json<Invitation>(await invite(t, { email, role: "employee" }));
    const second = await invited(t, { email, role: "manager" });
    expect(second.kind).toBe("magiclink");
    expect(second.message).toMatchObject({ kind: "magiclink", userId: other.employee.id });
    const list = await json<{ data: Invitation[] }>(await call("/v1/members/invitations", { token: await t.owner.token() }));
    expect(list.data.map((i) => [i.id, i.status])).toEqual([
      [first.id, "revoked"],
      [second.invitation.id, "pending"],
    ]);
    // The replaced one's job finds nothing to send: still one message per invitation sent.
    const stale = await json<{ result: { outcome: string } }>(await deliver("invitation-email", { tenantId: t.id, invitationId: first.id }));
    expect(stale.result.outcome).toBe("nothing to send");
    expect(await outbox(email)).toHaveLength(1);
    // The existing person accepts while active in their other business: it stays active.
    const res = await accept(await other.employee.token(), second.secret);
    expect(await json(res)).toMatchObject({ tenantId: t.id, role: "manager", tokenRefreshRequired: true });
    const me = await json<{ tenant: { id: string }; nextTenant: { id: string } | null }>(await call("/v1/me", { token: await other.employee.token() }));
    expect(me.tenant.id).toBe(other.id);
  });
});

describe("GET /v1/members/{userId}", () => {
  it("staff see a member; a customer only themselves; another tenant's member is 404", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    expect(await json(await call(`/v1/members/${t.colleague.id}`, { token: await t.employee.token() }))).toMatchObject({ userId: t.colleague.id, role: "employee" });
    expect((await call(`/v1/members/${t.customer.id}`, { token: await t.customer.token() })).status).toBe(200);
    await expectProblem(await call(`/v1/members/${t.employee.id}`, { token: await t.customer.token() }), 404, "not_found");
    await expectProblem(await call(`/v1/members/${other.owner.id}`, { token: await t.owner.token() }), 404, "not_found");
    await expectProblem(await call("/v1/members/not-a-uuid", { token: await t.owner.token() }), 400, "bad_request");
  });
});
