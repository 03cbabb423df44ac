// AI workers (issue 14, items 1–3): the published contracts, provisioning, the lifecycle with its
// event log and audit rows, the execution policy and its versions — and who may do each, inside a
// business and across businesses.
import { describe, expect, it } from "vitest";
import { asAuthenticated, withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant, type SeededTenant } from "../../support/seed.ts";

interface Worker {
  id: string;
  kind: string;
  name: string;
  status: string;
  config: Record<string, unknown>;
  configVersion: number;
  executionPolicy: string | null;
  effectivePolicy: string;
  policyVersion: number;
  contractVersion: number;
}

async function provision(t: SeededTenant, body: Record<string, unknown> = {}): Promise<Worker> {
  const res = await call("/v1/ai/workers", { method: "POST", token: await t.admin.token(), body: { kind: "office_assistant", name: `Assistant ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  expect(res.status).toBe(201);
  return json<Worker>(res);
}

const setStatus = async (t: SeededTenant, id: string, status: string, reason?: string) =>
  call(`/v1/ai/workers/${id}/status`, { method: "POST", token: await t.owner.token(), body: { status, ...(reason ? { reason } : {}) } });

describe("AI workers", { timeout: 60_000 }, () => {
  it("publishes every kind's contract as JSON Schema: tasks with input, output, tools and risk", async () => {
    const t = await seedTenant();
    const { data } = await json<{ data: { kind: string; version: number; config: Record<string, unknown>; tasks: { name: string; risk: string; input: { properties: Record<string, unknown>; required?: string[] }; output: Record<string, unknown>; tools: { name: string; risk: string | null; bulk: boolean; arguments: Record<string, unknown> }[] }[] }[] }>(
      await call("/v1/ai/worker-kinds", { token: await t.manager.token() }),
    );
    expect(data.map((k) => k.kind).sort()).toEqual(["office_assistant", "receptionist", "scheduler"]);
    const assistant = data.find((k) => k.kind === "office_assistant")!;
    expect(assistant.tasks.map((task) => task.name)).toEqual(expect.arrayContaining(["summarize_customer", "draft_follow_up", "summarize_tasks", "triage_message"]));
    const summarize = assistant.tasks.find((task) => task.name === "summarize_customer")!;
    expect(summarize.input.required).toEqual(["customerId"]);
    expect(summarize.input.properties.customerId).toMatchObject({ type: "string", format: "uuid" });
    expect(summarize.tools.map((tool) => tool.name)).toEqual(["find_customer_history"]);
    const reply = data.find((k) => k.kind === "receptionist")!.tasks.find((task) => task.name === "reply_to_customer")!;
    expect(reply.risk).toBe("risky");
    expect(reply.tools.find((tool) => tool.name === "send_customer_message")!.risk).toBe("message_customer");
    const openapi = await json<{ paths: Record<string, unknown> }>(await call("/openapi.json"));
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(["/v1/ai/worker-kinds", "/v1/ai/workers", "/v1/ai/workers/{id}/status", "/v1/ai/policy"]));
  });

  it("provisions a worker owned by the business with its kind's config (defaults filled in), and refuses a bad one", async () => {
    const t = await seedTenant();
    const w = await provision(t, { config: { tone: "formal" } });
    expect(w).toMatchObject({ kind: "office_assistant", status: "provisioned", config: { tone: "formal", language: "en" }, configVersion: 1, executionPolicy: null, effectivePolicy: "hybrid", contractVersion: 1 });
    const token = await t.admin.token();
    const bad = await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "office_assistant", name: "X", config: { tone: "shouty" } } }), 400, "bad_request");
    expect(JSON.stringify(bad.errors ?? bad)).toContain("body.config.tone");
    await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "janitor", name: "X" } }), 400, "bad_request");
    await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "scheduler", name: "X", version: 99 } }), 400, "bad_request");
    // A receptionist's config belongs to the receptionist: an office assistant's key is refused.
    await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "receptionist", name: "X", config: { tone: "formal" } } }), 400, "bad_request");
    // Names are unique among the business's workers that are not retired.
    await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "scheduler", name: w.name.toUpperCase() } }), 409, "conflict");
    // The provisioning is the first lifecycle event and an audit row, with who did it.
    const events = await json<{ data: { fromStatus: string | null; toStatus: string; actorId: string }[] }>(await call(`/v1/ai/workers/${w.id}/events`, { token }));
    expect(events.data).toEqual([expect.objectContaining({ fromStatus: null, toStatus: "provisioned", actorId: t.admin.id })]);
    const audit = await withAdmin((c) => c.query("select action, actor_id from public.audit_log where tenant_id = $1 and resource_id = $2", [t.id, w.id]));
    expect(audit.rows).toEqual([{ action: "ai_workers.insert", actor_id: t.admin.id }]);
  });

  it("follows the lifecycle provisioned → active ⇄ paused → retired; anything else is 409 and writes nothing", async () => {
    const t = await seedTenant();
    const w = await provision(t);
    await expectProblem(await setStatus(t, w.id, "paused"), 409, "illegal_transition");
    expect((await json<Worker>(await setStatus(t, w.id, "active", "ready"))).status).toBe("active");
    expect((await json<Worker>(await setStatus(t, w.id, "paused", "holiday"))).status).toBe("paused");
    expect((await json<Worker>(await setStatus(t, w.id, "active"))).status).toBe("active");
    await expectProblem(await setStatus(t, w.id, "active"), 409, "illegal_transition");
    expect((await json<Worker>(await setStatus(t, w.id, "retired", "replaced"))).status).toBe("retired");
    for (const to of ["active", "paused", "retired"]) await expectProblem(await setStatus(t, w.id, to), 409, "illegal_transition");
    // failed is the runtime's: a person cannot set it.
    await expectProblem(await setStatus(t, w.id, "failed"), 400, "bad_request");
    // A retired worker does not change, and frees its name.
    await expectProblem(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token: await t.owner.token(), body: { name: "New" } }), 409, "conflict");
    await provision(t, { name: w.name });

    const { data } = await json<{ data: { fromStatus: string | null; toStatus: string; actorId: string; reason: string | null }[] }>(await call(`/v1/ai/workers/${w.id}/events`, { token: await t.manager.token() }));
    expect(data.map((e) => [e.fromStatus, e.toStatus, e.reason])).toEqual([
      [null, "provisioned", "provisioned"],
      ["provisioned", "active", "ready"],
      ["active", "paused", "holiday"],
      ["paused", "active", null],
      ["active", "retired", "replaced"],
    ]);
    expect(data.slice(1).every((e) => e.actorId === t.owner.id)).toBe(true);
    const audited = await withAdmin((c) => c.query("select count(*)::int as n from public.audit_log where tenant_id = $1 and resource_id = $2 and action = 'ai_workers.update'", [t.id, w.id]));
    expect(audited.rows[0].n).toBe(4);
  });

  it("a changed config or policy bumps its version; the business's policy versions too", async () => {
    const t = await seedTenant();
    const w = await provision(t);
    const token = await t.owner.token();
    const patched = await json<Worker>(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { config: { tone: "brief" } } }));
    expect(patched).toMatchObject({ config: { tone: "brief", language: "en" }, configVersion: 2, policyVersion: 1 });
    const bad = await expectProblem(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { config: { language: 42 } } }), 400, "bad_request");
    expect(JSON.stringify(bad)).toContain("body.config.language");
    const manual = await json<Worker>(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { executionPolicy: "manual" } }));
    expect(manual).toMatchObject({ executionPolicy: "manual", effectivePolicy: "manual", policyVersion: 2, configVersion: 2 });

    expect(await json(await call("/v1/ai/policy", { token }))).toMatchObject({ executionPolicy: "hybrid", bulkThreshold: 25, policyVersion: 1, updatedAt: null });
    const set = await json(await call("/v1/ai/policy", { method: "PUT", token, body: { executionPolicy: "autonomous", bulkThreshold: 10 } }));
    expect(set).toMatchObject({ executionPolicy: "autonomous", bulkThreshold: 10, policyVersion: 1, updatedBy: t.owner.id });
    const again = await json(await call("/v1/ai/policy", { method: "PUT", token, body: { executionPolicy: "hybrid" } }));
    expect(again).toMatchObject({ executionPolicy: "hybrid", bulkThreshold: 10, policyVersion: 2 });
    const follow = await json<Worker>(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { executionPolicy: null } }));
    expect(follow).toMatchObject({ executionPolicy: null, effectivePolicy: "hybrid", policyVersion: 3 });
  });

  it("managers read, employees and customers get 403 (even with a bad body); no request writes events or versions itself", async () => {
    const t = await seedTenant();
    const w = await provision(t);
    const manager = await t.manager.token();
    expect((await call(`/v1/ai/workers/${w.id}`, { token: manager })).status).toBe(200);
    expect((await call("/v1/ai/workers", { token: manager })).status).toBe(200);
    await expectProblem(await call("/v1/ai/workers", { method: "POST", token: manager, body: { kind: "scheduler", name: "Mine" } }), 403, "forbidden");
    await expectProblem(await setStatusAs(manager, w.id, "active"), 403, "forbidden");
    await expectProblem(await call("/v1/ai/policy", { method: "PUT", token: manager, body: { executionPolicy: "autonomous" } }), 403, "forbidden");
    for (const who of [t.employee, t.customer]) {
      const token = await who.token();
      for (const path of ["/v1/ai/worker-kinds", "/v1/ai/workers", `/v1/ai/workers/${w.id}`, `/v1/ai/workers/${w.id}/events`, "/v1/ai/policy"]) {
        await expectProblem(await call(path, { token }), 403, "forbidden");
      }
      await expectProblem(await call("/v1/ai/workers", { method: "POST", token, body: { kind: "nope" } }), 403, "forbidden");
      await expectProblem(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { config: "x" } }), 403, "forbidden");
    }
    // As authenticated in SQL, an owner still cannot forge history or versions.
    const claims = { sub: t.owner.id, tenant_id: t.id, role: "authenticated" };
    await expect(asAuthenticated(claims, (c) => c.query("insert into public.ai_worker_events (tenant_id, worker_id, to_status) values ($1, $2, 'active')", [t.id, w.id]))).rejects.toThrow();
    await expect(asAuthenticated(claims, (c) => c.query("update public.ai_workers set status = 'active' where id = $1", [w.id]))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("update public.ai_workers set policy_version = 1, config_version = 1 where id = $1", [w.id]))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("update public.ai_settings set policy_version = 1"))).rejects.toThrow(/permission denied/);
    await expect(asAuthenticated(claims, (c) => c.query("delete from public.ai_workers where id = $1", [w.id]))).rejects.toThrow(/permission denied/);
  });

  it("another business's worker is 404 to every route", async () => {
    const a = await seedTenant();
    const b = await seedTenant();
    const w = await provision(a);
    const token = await b.owner.token();
    await expectProblem(await call(`/v1/ai/workers/${w.id}`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/ai/workers/${w.id}/events`, { token }), 404, "not_found");
    await expectProblem(await call(`/v1/ai/workers/${w.id}`, { method: "PATCH", token, body: { name: "Taken" } }), 404, "not_found");
    await expectProblem(await setStatusAs(token, w.id, "active"), 404, "not_found");
    expect((await json<{ data: unknown[] }>(await call("/v1/ai/workers", { token }))).data).toEqual([]);
    expect((await json<Worker>(await call(`/v1/ai/workers/${w.id}`, { token: await a.owner.token() }))).status).toBe("provisioned");
  });
});

const setStatusAs = (token: string, id: string, status: string) => call(`/v1/ai/workers/${id}/status`, { method: "POST", token, body: { status } });
