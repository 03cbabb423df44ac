import { describe, expect, it } from "vitest";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { auditRows, insertCustomers } from "../customers/fixtures.ts";

type Profile = { userId: string; role: string; defaults: string[]; grants: string[]; revocations: string[]; effective: string[] };

const EMPLOYEE_DEFAULTS = ["calendar.read", "appointments.write_own", "tasks.write_assigned", "notes.write_own", "notes.read_team", "customers.read_assigned", "time.create"];

const put = async (token: string, userId: string, permission: string, effect: "grant" | "revoke") =>
  call(`/v1/members/${userId}/permissions/${permission}`, { method: "PUT", token, body: { effect } });
const reset = async (token: string, userId: string, permission: string) =>
  call(`/v1/members/${userId}/permissions/${permission}`, { method: "DELETE", token });
const myPermissions = async (token: string) => (await json<{ permissions: string[] }>(await call("/v1/me", { token }))).permissions;

describe("GET /v1/members/{userId}/permissions", () => {
  it("shows an admin a member's role defaults, overrides and effective permissions", async () => {
    const t = await seedTenant();
    const res = await call(`/v1/members/${t.employee.id}/permissions`, { token: await t.admin.token() });
    expect(res.status).toBe(200);
    expect(await json<Profile>(res)).toEqual({
      userId: t.employee.id,
      role: "employee",
      defaults: EMPLOYEE_DEFAULTS,
      grants: [],
      revocations: [],
      effective: EMPLOYEE_DEFAULTS,
    });
  });

  it("shows a member their own", async () => {
    const t = await seedTenant();
    const res = await call(`/v1/members/${t.colleague.id}/permissions`, { token: await t.colleague.token() });
    expect(res.status).toBe(200);
    expect(await json<Profile>(res)).toMatchObject({ userId: t.colleague.id, effective: EMPLOYEE_DEFAULTS });
  });
});

describe("PUT and DELETE /v1/members/{userId}/permissions/{permission}", () => {
  it("a grant and a revocation change /v1/me on the member's very next request, with the same token", async () => {
    const t = await seedTenant();
    const admin = await t.admin.token();
    const employee = await t.employee.token();
    expect(await myPermissions(employee)).toEqual(EMPLOYEE_DEFAULTS);

    const granted = await put(admin, t.employee.id, "customers.read_all", "grant");
    expect(granted.status).toBe(200);
    expect(await json<Profile>(granted)).toMatchObject({ grants: ["customers.read_all"], revocations: [], effective: expect.arrayContaining(["customers.read_all"]) });
    expect(await myPermissions(employee)).toContain("customers.read_all");

    const revoked = await put(admin, t.employee.id, "time.create", "revoke");
    expect(await json<Profile>(revoked)).toMatchObject({ grants: ["customers.read_all"], revocations: ["time.create"] });
    expect(await myPermissions(employee)).not.toContain("time.create");

    const back = await reset(admin, t.employee.id, "time.create");
    expect(back.status).toBe(200);
    expect(await json<Profile>(back)).toMatchObject({ revocations: [] });
    expect(await myPermissions(employee)).toContain("time.create");
  });

  it("turning a grant into a revocation and back to the default is audited step by step", async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    expect((await put(owner, t.manager.id, "customers.delete", "grant")).status).toBe(200);
    expect((await put(owner, t.manager.id, "customers.delete", "revoke")).status).toBe(200);
    expect((await reset(owner, t.manager.id, "customers.delete")).status).toBe(200);
    const audit = await auditRows(t.id, "user_permissions");
    expect(audit.map((a) => [a.action, a.actor_id, a.resource_id])).toEqual([
      ["user_permissions.insert", t.owner.id, t.manager.id],
      ["user_permissions.update", t.owner.id, t.manager.id],
      ["user_permissions.delete", t.owner.id, t.manager.id],
    ]);
    expect(audit[0]!.after).toMatchObject({ permission: "customers.delete", granted: true, created_by: t.owner.id });
    expect(audit[1]!.after).toMatchObject({ granted: false });
  });

  it("removing an override that does not exist succeeds and changes nothing", async () => {
    const t = await seedTenant();
    const res = await reset(await t.admin.token(), t.employee.id, "audit.read");
    expect(res.status).toBe(200);
    expect(await json<Profile>(res)).toMatchObject({ grants: [], revocations: [], effective: EMPLOYEE_DEFAULTS });
    expect(await auditRows(t.id, "user_permissions")).toEqual([]);
  });

  it("revoking customers.read_assigned takes the assigned customer away; granting customers.read_all shows every customer", async () => {
    const t = await seedTenant();
    const [assigned, other] = await insertCustomers(t.id, [
      { name: "Assigned Anna", assignedTo: t.employee.id },
      { name: "Other Otto", departmentId: t.departments.support },
    ]);
    const admin = await t.admin.token();
    const employee = await t.employee.token();
    const visible = async () => (await json<{ data: { id: string }[] }>(await call("/v1/customers", { token: employee }))).data.map((c) => c.id);
    expect(await visible()).toEqual([assigned]);
    expect((await call(`/v1/customers/${assigned}`, { token: employee })).status).toBe(200);

    expect((await put(admin, t.employee.id, "customers.read_assigned", "revoke")).status).toBe(200);
    expect(await visible()).toEqual([]);
    expect((await call(`/v1/customers/${assigned}`, { token: employee })).status).toBe(404);

    expect((await put(admin, t.employee.id, "customers.read_all", "grant")).status).toBe(200);
    expect((await visible()).sort()).toEqual([assigned, other, t.customerRecordId].sort());
    expect((await call(`/v1/customers/${other}`, { token: employee })).status).toBe(200);
  });
});
