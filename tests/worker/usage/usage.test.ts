import { describe, expect, it } from "vitest";
import { PLANS } from "../../../shared/plans.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { deliver } from "../../support/qstash.ts";
import { seedTenant } from "../../support/seed.ts";

type Usage = { days: { day: string; metric: string; value: number }[]; totals: Record<string, number>; currentMonth: { metrics: Record<string, { used: number; quota: number }> }; plan: { id: string } };
const today = () => new Date().toISOString().slice(0, 10);

describe("usage metering", () => {
  it("after N requests, GET /v1/usage reports exactly N api_calls once the flush ran, also after it ran twice", async () => {
    const t = await seedTenant();
    const employee = await t.employee.token();
    const N = 7;
    for (let i = 0; i < N; i++) expect((await call("/v1/me", { token: employee })).status).toBe(200);

    expect((await deliver("usage-flush")).status).toBe(200);
    expect((await deliver("usage-flush")).status).toBe(200);
    const owner = await t.owner.token();
    const first = await json<Usage>(await call(`/v1/usage?from=${today()}&to=${today()}`, { token: owner }));
    expect(first.days).toEqual([{ day: today(), metric: "api_calls", value: N }]);
    expect(first.totals).toEqual({ api_calls: N });
    expect(first.currentMonth.metrics.api_calls).toEqual({ used: N, quota: PLANS.free.monthlyQuotas.api_calls });

    // The usage request itself was counted after the flush; a duplicated flush adds nothing more.
    await Promise.all([deliver("usage-flush"), deliver("usage-flush")]);
    const second = await json<Usage>(await call(`/v1/usage?from=${today()}&to=${today()}&metric=api_calls`, { token: owner }));
    expect(second.totals.api_calls).toBe(N + 1);
  });

  it("defaults to the current month", async () => {
    const t = await seedTenant();
    const res = await call("/v1/usage", { token: await t.owner.token() });
    expect(res.status).toBe(200);
    const body = await json<Usage & { from: string; to: string }>(res);
    const now = new Date();
    expect(body.from).toBe(today().slice(0, 8) + "01");
    expect(body.to).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10));
  });

  it("is for owners and admins only (403 before any complaint about parameters), and validates the period", async () => {
    const t = await seedTenant();
    const employee = await t.employee.token();
    await expectProblem(await call(`/v1/usage?from=${today()}&to=${today()}`, { token: employee }), 403, "forbidden");
    await expectProblem(await call("/v1/usage?from=yesterday&metric=bananas", { token: employee }), 403, "forbidden");
    await expectProblem(await call("/v1/usage?from=%00", { token: employee }), 403, "forbidden");
    const owner = await t.owner.token();
    await expectProblem(await call("/v1/usage?from=2026-02-01&to=2026-01-01", { token: owner }), 400, "bad_request");
    await expectProblem(await call("/v1/usage?from=2020-01-01&to=2026-01-01", { token: owner }), 400, "bad_request");
    await expectProblem(await call(`/v1/usage?from=${today()}&to=${today()}&metric=bananas`, { token: owner }), 400, "bad_request");
  });
});
