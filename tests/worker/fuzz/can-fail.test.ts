// Proof that the fuzzer can fail: the real app plus one extra route, registered the way every
// route is (createRoute + app.openapi, its schema in the generated document), whose handler
// throws a plain TypeError when a string holds an emoji. The same machinery, fed only from that
// app's /openapi.json, must report the 5xx with a shrunk counterexample naming the emoji.
import { createRoute, z } from "@hono/zod-openapi";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { json, jsonBody, userErrors, userScope } from "../../../functions/lib/openapi.ts";
import { API_HOST } from "../../support/config.ts";
import { operationsOf } from "./requests.ts";
import { runFuzz } from "./runner.ts";
import type { OpenApiDoc } from "./schema.ts";
import { fuzzSeed } from "./settings.ts";
import { buildWorld } from "./world.ts";

const EMOJI = /\p{Extended_Pictographic}/u;

function appWithABuggyRoute() {
  const app = buildApp();
  const Label = z.strictObject({ label: z.string().min(1).max(100), count: z.number().int().min(0).max(10).optional() }).openapi("FuzzCanary");
  const route = createRoute({
    method: "post",
    path: "/v1/fuzz-canary",
    tags: ["fuzz"],
    summary: "A route with a bug only some inputs reach",
    ...userScope,
    request: { body: jsonBody(Label) },
    responses: { 200: json(z.object({ length: z.number() }), "The label's length in code points"), ...userErrors() },
  });
  app.openapi(route, (c) => {
    const { label } = c.req.valid("json");
    const lengths = new Map<string, number>();
    if (!EMOJI.test(label)) lengths.set(label, [...label].length);
    // The bug: a code path nobody tested with an emoji.
    return c.json({ length: (lengths.get(label) as unknown as { valueOf(): number }).valueOf() }, 200);
  });
  return app;
}

describe("the fuzzer can fail", () => {
  it("finds a route's TypeError on emoji input, reports a 5xx and shrinks to one request", async () => {
    const app = appWithABuggyRoute();
    const pending: Promise<unknown>[] = [];
    const fetch = async (request: Request) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(request, env, ctx);
      pending.push(waitOnExecutionContext(ctx));
      return res;
    };
    const doc = (await (await fetch(new Request(`https://${API_HOST}/openapi.json`))).json()) as OpenApiDoc;
    const canary = operationsOf(doc).filter((op) => op.key === "POST /v1/fuzz-canary");
    expect(canary, "the extra route is in the generated document").toHaveLength(1);
    const world = await buildWorld(doc, 1);

    // The app logs each 500 with its cause; keep them out of the report, but count them.
    const errorLog = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let logged: unknown[][] = [];
    const report = await runFuzz({ fetch, ctx: world.ctx, operations: canary, runs: 100, batchSize: 8, seed: fuzzSeed(), shrinkBudget: 60 }).finally(() => {
      logged = [...errorLog.mock.calls];
      errorLog.mockRestore();
    });
    await Promise.allSettled(pending);
    console.log(`${report.summary}\n${report.message}`);
    expect(logged.some(([line]) => String(line).includes("TypeError: Cannot read properties of undefined"))).toBe(true);

    expect(report.failed, "the fuzzer must catch the bug").toBe(true);
    expect(report.message).toContain("Counterexample");
    expect(report.message).toContain(`seed: ${report.seed}`);
    expect(report.message).toMatch(/500 \(a 5xx\)/);
    const [request] = report.counterexample ?? [];
    expect(report.counterexample, "shrunk to the one failing request").toHaveLength(1);
    expect(request!.body).toMatchObject({ kind: "json" });
    const label = (request!.body as { value: { label: string } }).value.label;
    expect(label).toMatch(EMOJI);
    expect(String(request![fc.toStringMethod]())).toContain("POST https://");
  }, 120_000);
});
