// When Redis cannot answer: named limits (sign-up, login-like) fail closed, the plan limit and
// metering fail open. Runs the real app with the Redis binding pointed at a closed port.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { API_HOST } from "../../support/config.ts";
import { expectProblem } from "../../support/expect.ts";
import { createUser, seedTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

const app = buildApp();
const deadRedis = { ...(env as unknown as Record<string, unknown>), UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };

async function send(path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set("cf-connecting-ip", "198.51.100.7");
  const res = await app.fetch(new Request(`https://${API_HOST}${path}`, { ...init, headers }), deadRedis, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("Redis unreachable", () => {
  it("sign-up fails closed: 503 with Retry-After, and no tenant is created", async () => {
    const person = await createUser();
    const res = await send("/v1/tenants", {
      method: "POST",
      headers: { authorization: `Bearer ${await hs256Token({ id: person.id })}`, "content-type": "application/json" },
      body: JSON.stringify({ slug: `down-${crypto.randomUUID().slice(0, 8)}`, name: "Down" }),
    });
    await expectProblem(res, 503, "unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
  });

  it("ordinary reads stay available (fail open, logged)", async () => {
    const t = await seedTenant();
    const res = await send("/v1/members", { headers: { authorization: `Bearer ${await t.owner.token()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBeNull();
  });
});
