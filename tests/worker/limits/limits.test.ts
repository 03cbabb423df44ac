import { describe, expect, it } from "vitest";
import { PLANS } from "../../../shared/plans.ts";
import { utcMonth } from "../../../functions/lib/usage.ts";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { testRedis } from "../../support/redis.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

/**
 * Upstash's sliding window weighs the previous one-minute window by the time left in it (and
 * floors the result), so a burst that straddles a window boundary may legitimately let one more
 * request through. Bursts here start early in a fresh window, as the property under test assumes.
 */
async function startOfWindow(needMs: number): Promise<void> {
  const intoWindow = Date.now() % 60_000;
  if (intoWindow + needMs > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 200));
}

const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("rate limits", { timeout: 120_000 }, () => {
  it("the 6th sign-up within a minute from one IP is 429 with Retry-After and RateLimit headers", async () => {
    const ip = randomIp();
    await startOfWindow(15_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const person = await createUser();
      const res = await call("/v1/tenants", { token: await hs256Token({ id: person.id }), headers: { "cf-connecting-ip": ip }, body: { slug: `burst-${crypto.randomUUID().slice(0, 8)}`, name: "Burst" } });
      statuses.push(res.status);
      if (i === 5) {
        await expectProblem(res, 429, "rate_limited");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
        expect(res.headers.get("ratelimit-limit")).toBe("5");
        expect(res.headers.get("ratelimit-remaining")).toBe("0");
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const other = await createUser();
    const fromElsewhere = await call("/v1/tenants", { token: await hs256Token({ id: other.id }), headers: { "cf-connecting-ip": randomIp() }, body: { slug: `burst-${crypto.randomUUID().slice(0, 8)}`, name: "Burst" } });
    expect(fromElsewhere.status).toBe(201);
  });

  it("every tenant response carries the plan's RateLimit headers", async () => {
    const t = await seedTenant();
    const res = await call("/v1/members", { token: await t.owner.token() });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe(String(PLANS.free.rateLimitPerMinute));
    expect(Number(res.headers.get("ratelimit-remaining"))).toBe(PLANS.free.rateLimitPerMinute - 1);
  });

  it("a tenant over its plan's per-minute limit gets 429 rate_limited; another tenant does not", async () => {
    const [t, other] = await Promise.all([seedTenant(), seedTenant()]);
    // Two members, each within their fair share (half the plan), use up the tenant's window.
    const tokens = [await t.owner.token(), await t.admin.token()];
    const limit = PLANS.free.rateLimitPerMinute;
    await startOfWindow(25_000);
    let last: Response | undefined;
    for (let i = 0; i <= limit; i++) {
      last = await call("/v1/me", { token: tokens[i % 2] });
      if (last.status === 429) break;
    }
    const problem = await expectProblem(last!, 429, "rate_limited");
    expect(problem.detail).toMatch(/plan allows/);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await call("/v1/me", { token: await other.owner.token() })).status).toBe(200);
  });

  it("a tenant whose monthly api_calls quota is used up gets 429 quota_exceeded naming the quota and its reset", async () => {
    const t = await seedTenant();
    await testRedis().hset(`usage:${t.id}:m:${utcMonth(new Date())}`, { api_calls: PLANS.free.monthlyQuotas.api_calls });
    const res = await call("/v1/me", { token: await t.owner.token() });
    const problem = await expectProblem(res, 429, "quota_exceeded");
    expect(problem.detail).toMatch(/api_calls.*resets at \d{4}-\d{2}-01T00:00:00\.000Z/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
