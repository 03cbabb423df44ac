// Execution trigger payloads and step outputs follow the event log's rule: an execution an event
// started shows its payload (and its step outputs) only to a reader who may read that event
// type (GET /v1/automation/events); other triggers' payloads show to every automation reader.
// Direct SQL as authenticated cannot read the columns at all.
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createWorkflow, run, step } from "./helpers.ts";

type Detail = { status: string; triggerPayload: Record<string, unknown> | null; steps: { output: unknown }[] };

describe("execution payloads by readable event types", { timeout: 90_000 }, () => {
  it("a reader without customers.read_all sees neither the payload nor the outputs of a customer.created execution; the owner sees both", async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    // automation.read plus both read_all permissions (outputs would show under the read_all rule alone).
    await withAdmin((c) =>
      c.query(
        "insert into public.user_permissions (tenant_id, user_id, permission, granted) select $1, $2, p::public.app_permission, true from unnest($3::text[]) p",
        [t.id, t.employee.id, ["automation.read", "appointments.read_all", "tasks.read_all"]],
      ),
    );
    const employee = await t.employee.token();
    const wf = await createWorkflow(t, { name: "New customer", trigger: { type: "event", eventType: "customer.created" }, actions: [{ type: "generate_summary" }] });
    expect((await call(`/v1/automation/workflows/${wf.id}/activate`, { method: "POST", token: owner })).status).toBe(200);
    expect((await call("/v1/customers", { method: "POST", token: owner, body: { name: "Secret Client Ltd", email: "ceo@secret-client.example" } })).status).toBe(201);
    const [row] = (await withAdmin((c) => c.query<{ id: string }>("select id from public.workflow_executions where workflow_id = $1", [wf.id]))).rows;
    await step(t, row!.id, 0);
    const path = `/v1/automation/workflows/${wf.id}/executions/${row!.id}`;

    const asOwner = await json<Detail>(await call(path, { token: owner }));
    expect(asOwner.triggerPayload).toMatchObject({ event: "customer.created", data: { name: "Secret Client Ltd" } });
    expect(asOwner.steps[0]!.output).not.toBeNull();

    const res = await call(path, { token: employee });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    expect(text).not.toContain("Secret Client");
    const asEmployee = await json<Detail>(res);
    expect(asEmployee.status).toBe("succeeded");
    expect(asEmployee.triggerPayload).toBeNull();
    expect(asEmployee.steps[0]!.output).toBeNull();
    // The event log hides the same event from them.
    const events = await (await call("/v1/automation/events", { token: employee })).text();
    expect(events).not.toContain("Secret Client");

    // Around the API: the columns are not readable, the definer function applies the same rule.
    const claims = { sub: t.employee.id, role: "authenticated", tenant_id: t.id };
    await expect(asAuthenticated(claims, (c) => c.query("select trigger_payload from public.workflow_executions"))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("select output from public.workflow_execution_steps"))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("select * from public.workflow_executions"))).rejects.toThrow(/permission denied/);
    const viaFunction = await asAuthenticated(claims, (c) => c.query("select * from private.workflow_execution_data($1)", [row!.id]));
    expect(viaFunction.rows).toEqual([{ trigger_payload: null, outputs: null }]);
    const ownerClaims = { sub: t.owner.id, role: "authenticated", tenant_id: t.id };
    const forOwner = await asAuthenticated(ownerClaims, (c) => c.query("select trigger_payload ->> 'event' as event from private.workflow_execution_data($1)", [row!.id]));
    expect(forOwner.rows).toEqual([{ event: "customer.created" }]);
  });

  it("a manual run's payload shows to every automation reader; another tenant's execution shows nothing", async () => {
    const t = await seedTenant();
    const other = await seedTenant();
    await withAdmin((c) => c.query("insert into public.user_permissions (tenant_id, user_id, permission, granted) values ($1, $2, 'automation.read', true)", [t.id, t.employee.id]));
    const wf = await createWorkflow(t, { name: "Manual", trigger: { type: "manual" }, actions: [{ type: "generate_summary" }] });
    const ex = await run(t, wf.id, { note: "hello" });
    const detail = await json<Detail>(await call(`/v1/automation/workflows/${wf.id}/executions/${ex.id}`, { token: await t.employee.token() }));
    expect(detail.triggerPayload).toEqual({ note: "hello" });
    const claims = { sub: other.owner.id, role: "authenticated", tenant_id: other.id };
    expect((await asAuthenticated(claims, (c) => c.query("select * from private.workflow_execution_data($1)", [ex.id]))).rows).toEqual([]);
  });
});
