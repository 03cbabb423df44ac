// The env middleware fails closed: the test run's own (local) settings, labelled staging or
// production, make every request a 500 problem, with a log line naming each refused setting
// and never its value. The schema's rules one by one: tests/node/env-schema.test.ts.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { API_HOST } from "../../support/config.ts";
import { expectProblem } from "../../support/expect.ts";

const app = buildApp();

async function send(path: string, bindings: Record<string, unknown>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`https://${API_HOST}${path}`), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a deployed environment with dev-only settings", () => {
  for (const environment of ["staging", "production"]) {
    it(`${environment}: refuses to serve, and logs which settings are wrong`, async () => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {}); // expected; keep the report quiet
      const local = env as unknown as Record<string, unknown>;
      const res = await send("/healthz", { ...local, ENVIRONMENT: environment });
      await expectProblem(res, 500, "internal");

      const line = errors.mock.calls.map((args) => String(args[0])).find((l) => l.includes("invalid environment"));
      expect(line, "a log line for the refused environment").toBeDefined();
      const { problems } = JSON.parse(line!) as { problems: string[] };
      expect(problems).toEqual(
        expect.arrayContaining([
          `AUTH_DEV_SECRET: the HS256 dev secret is refused in ${environment}`,
          `AUTH_ISSUER: must be an https URL in ${environment}`,
          `UPSTASH_REDIS_REST_URL: must be an https URL in ${environment}`,
          `QSTASH_URL: must be an https URL in ${environment}`,
        ]),
      );
      expect(line).not.toContain(String(local.AUTH_DEV_SECRET));
    });
  }

  it("the same settings serve as ENVIRONMENT=test", async () => {
    const res = await send("/healthz", env as unknown as Record<string, unknown>);
    expect(res.status).toBe(200);
  });
});
