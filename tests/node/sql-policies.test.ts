// Runs every SQL policy test in supabase/tests/ (one behaviour per file) against the real
// migrations: each in its own transaction, rolled back afterwards, after installing _helpers.sql.
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const dir = new URL("../../supabase/tests/", import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith(".sql") && !f.startsWith("_")).sort();
const helpers = readFileSync(`${dir}_helpers.sql`, "utf8");

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
});
afterAll(() => client.end());

describe("SQL policy tests (supabase/tests)", () => {
  it("has tests to run", () => expect(files.length).toBeGreaterThanOrEqual(10));

  it.each(files)("%s", async (file) => {
    await client.query("begin");
    try {
      await client.query(helpers);
      await client.query(readFileSync(`${dir}${file}`, "utf8"));
    } finally {
      await client.query("rollback");
    }
  });
});
