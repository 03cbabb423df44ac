// Every registered route except the public ones must refuse an anonymous call and a forged
// token with 401. The list comes from the app itself, so a new route is covered automatically.
import { describe, expect, it } from "vitest";
import { buildApp } from "../../../functions/app.ts";
import { PUBLIC_PATHS } from "../../../functions/routes.ts";
import { expectProblem } from "../../support/expect.ts";
import { call } from "../../support/http.ts";
import { hs256Token } from "../../support/tokens.ts";

const registered = buildApp()
  .routes.filter((r) => r.method !== "ALL")
  .map((r) => ({ method: r.method, path: r.path }))
  .filter((r, i, all) => all.findIndex((o) => o.method === r.method && o.path === r.path) === i);

const protectedRoutes = registered.filter((r) => !PUBLIC_PATHS.has(r.path));
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, crypto.randomUUID());

describe("route inventory", () => {
  it("knows the routes (a guard against an empty inventory)", () => {
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(7);
    expect(registered.map((r) => r.path)).toEqual(expect.arrayContaining([...PUBLIC_PATHS]));
  });

  it.each(protectedRoutes)("$method $path without a token → 401", async ({ method, path }) => {
    const res = await call(concrete(path), { method, body: method === "GET" ? undefined : {} });
    await expectProblem(res, 401, path.startsWith("/v1/") ? "token_missing" : "unauthorized");
    if (path.startsWith("/v1/")) expect(res.headers.get("www-authenticate")).toBe('Bearer realm="ai-office"');
  });

  it.each(protectedRoutes)("$method $path with a forged token → 401", async ({ method, path }) => {
    const forged = await hs256Token(
      { id: crypto.randomUUID(), tenantId: crypto.randomUUID() },
      { secret: "not-the-secret-not-the-secret-not-the-secret" },
    );
    const res = await call(concrete(path), { method, token: forged, body: method === "GET" ? undefined : {} });
    await expectProblem(res, 401, path.startsWith("/v1/") ? "token_bad_signature" : "unauthorized");
  });

  it.each([...PUBLIC_PATHS])("public %s answers without a token", async (path) => {
    const res = await call(path);
    expect(res.status).toBe(200);
  });
});
