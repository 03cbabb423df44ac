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

  // SCIM speaks SCIM: its 401 is a SCIM error body (RFC 7644 §3.12), not a problem.
  const expectScim401 = async (res: Response) => {
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/scim+json");
    expect(await res.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
  };

  it.each(protectedRoutes)("$method $path without a token → 401", async ({ method, path }) => {
    const res = await call(concrete(path), { method, body: method === "GET" ? undefined : {} });
    if (path.startsWith("/scim/")) return expectScim401(res);
    await expectProblem(res, 401, path.startsWith("/v1/") ? "token_missing" : "unauthorized");
    if (path.startsWith("/v1/")) expect(res.headers.get("www-authenticate")).toBe('Bearer realm="ai-office"');
  });

  it.each(protectedRoutes)("$method $path with a forged token → 401", async ({ method, path }) => {
    const forged = await hs256Token(
      { id: crypto.randomUUID(), tenantId: crypto.randomUUID() },
      { secret: "not-the-secret-not-the-secret-not-the-secret" },
    );
    const res = await call(concrete(path), { method, token: forged, body: method === "GET" ? undefined : {} });
    if (path.startsWith("/scim/")) return expectScim401(res);
    await expectProblem(res, 401, path.startsWith("/v1/") ? "token_bad_signature" : "unauthorized");
  });

  it.each(protectedRoutes.filter((r) => r.path.startsWith("/scim/")))("$method $path with a well-formed SCIM token nobody issued → 401", async ({ method, path }) => {
    const unknown = `scim_${"A".repeat(43)}`;
    await expectScim401(await call(concrete(path), { method, token: unknown, body: method === "GET" ? undefined : {} }));
  });

  it.each([...PUBLIC_PATHS])("public %s answers without a token", async (path) => {
    const res = await call(path);
    expect(res.status).toBe(200);
  });
});
