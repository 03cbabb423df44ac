// The README's permission table is the matrix the attack suite checks, rendered: docs and
// behaviour cannot drift (`npm run docs:permissions` rewrites the table).
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { currentTable, README, renderPermissionTable } from "../../scripts/docs/permission-table.ts";

it("README.md's permission matrix equals tests/support/permission-matrix.ts rendered", async () => {
  const table = currentTable(await readFile(README, "utf8"));
  expect(table, "README.md needs the permission-matrix markers in its Permissions section").toBeDefined();
  expect(table, "run `npm run docs:permissions`").toBe(renderPermissionTable());
});
