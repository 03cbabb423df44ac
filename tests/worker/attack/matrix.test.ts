// The role × operation matrix (tests/support/permission-matrix.ts) is what the API does: every
// role's canonical request for every operation, in its own tenant, gets exactly the matrix's
// status. The operations come from the OpenAPI document, so a new route fails here until the
// matrix (and with it the README's table) says who may call it.
import { describe, expect, it } from "vitest";
import { MATRIX_ROLES, PERMISSION_MATRIX, type Role } from "../../support/permission-matrix.ts";
import { seedWorld, settleInvitationEmails } from "../../support/world.ts";
import { coverageProblems, loadApi } from "./checker.ts";
import { sampler, type Operation } from "./openapi.ts";
import { canonicalShape, prng, send, toReq } from "./requests.ts";

// Deletes and cancellations end their object: they run after everything else has used it. So do
// what needs the first batch's effect: an AI run (its worker activated) and a rejection (it
// withdraws the approval given in the first batch).
const destructive = (op: Operation) =>
  op.method === "DELETE" || op.path.endsWith("/cancel") || op.path.endsWith("/reject") || (op.method === "POST" && op.path.endsWith("/runs"));

describe("the permission matrix", () => {
  it("covers every operation of the OpenAPI document, and only those", async () => {
    const { ops } = await loadApi();
    expect(ops.length).toBeGreaterThanOrEqual(40);
    expect(coverageProblems(ops)).toEqual([]);
  });

  it("is what each role's canonical request gets, in its own tenant", async () => {
    const [{ doc, ops }, world] = await Promise.all([loadApi(), seedWorld({ attackers: 1 })]);
    const tenant = world.attackers[0]!;
    const build = sampler(doc);
    const rand = prng(1);
    const mismatches: string[] = [];
    for (const batch of [ops.filter((o) => !destructive(o)), ops.filter(destructive)]) {
      const cells = batch.flatMap((op) => MATRIX_ROLES.map((role) => ({ op, role })));
      let next = 0;
      await Promise.all(Array.from({ length: 12 }, async () => {
        while (next < cells.length) {
          const { op, role } = cells[next++]! as { op: Operation; role: Role };
          const entry = PERMISSION_MATRIX[op.key];
          if (!entry) continue; // reported by the coverage test
          const req = toReq(op, canonicalShape(build, op, entry, tenant, role, rand), tenant.canonical[role]);
          const res = await send(req);
          if (res.status !== entry.expect[role]) mismatches.push(`${op.key} as ${role}: expected ${entry.expect[role]}, got ${res.status} ${res.text.slice(0, 160)}`);
        }
      }));
    }
    await settleInvitationEmails([tenant.id]);
    expect(mismatches.sort()).toEqual([]);
  }, 120_000);
});
