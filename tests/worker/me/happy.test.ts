import { describe, expect, it } from "vitest";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";

describe("GET /v1/me", () => {
  it("returns the caller, the active tenant with their role, and settings", async () => {
    const t = await seedTenant();
    const res = await call("/v1/me", { token: await t.employee.token() });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      user: { id: t.employee.id, email: t.employee.email },
      activeTenant: { id: t.id, slug: t.slug, role: "employee", department: "sales", departmentId: t.employee.departmentId },
      tokenTenantId: t.id,
      settings: { timezone: "UTC", locale: "en-US", activeTenantId: t.id },
    });
  });
});
