import { describe, expect, it } from "vitest";
import { errorCodes } from "../../../shared/errors.ts";
import { ALLOWED_ORIGIN } from "../../support/config.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

describe("public routes, headers and errors", () => {
  it("GET /healthz reports the database", async () => {
    expect(await json(await call("/healthz"))).toEqual({ status: "ok", checks: { database: "ok" } });
  });

  it("GET /openapi.json is generated: every route, its schemas and its error codes", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>; components: { schemas: Record<string, unknown> } }>(await call("/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/healthz", "/v1/me", "/v1/me/settings", "/v1/me/tenants", "/v1/me/active-tenant", "/v1/tenants", "/v1/members", "/v1/members/{userId}"]));
    expect(doc.paths["/v1/members/{userId}"]!.patch!.responses).toHaveProperty("409");
    expect(doc.paths["/v1/members"]!.get!.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas).toHaveProperty("Problem");
    expect((doc.components.schemas.Problem as { properties: { code: { enum: string[] } } }).properties.code.enum).toEqual(errorCodes);
  });

  it("GET /docs renders the reference page from this origin (no CDN)", async () => {
    const res = await call("/docs");
    const html = await res.text();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("/vendor/scalar/standalone.js");
    expect(html).toContain("/openapi.json");
    expect(html).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
  });

  it("sets secure headers on every response", async () => {
    const res = await call("/healthz");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("keeps a sane incoming x-request-id and replaces an unsafe one", async () => {
    expect((await call("/healthz", { headers: { "x-request-id": "trace-abc-12345" } })).headers.get("x-request-id")).toBe("trace-abc-12345");
    const replaced = (await call("/healthz", { headers: { "x-request-id": "<script>" } })).headers.get("x-request-id");
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers CORS only for allowed origins", async () => {
    const ok = await call("/v1/me", { method: "OPTIONS", headers: { origin: ALLOWED_ORIGIN, "access-control-request-method": "GET" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    const no = await call("/v1/me", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("an unknown route is a 404 problem", async () => {
    await expectProblem(await call("/nope"), 404, "not_found");
    const t = await seedTenant();
    await expectProblem(await call("/v1/nothing-here", { token: await t.owner.token() }), 404, "not_found");
  });
});
