// The e2e Worker's own database in the test cluster: a fresh one with the real bootstrap and
// migrations (as hosted Supabase's non-superuser postgres), no seed. Its own, because its
// outbox-drain schedule publishes every due outbox row of the database it drains: on the shared
// test database it would take rows the Worker-pool tests publish and inspect themselves.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { apiUrl, dropDatabase, migrate, prepareDatabase, type Server } from "../../../scripts/lib/migrate.ts";

export interface E2EDatabase {
  name: string;
  /** Creates it: bootstrap and migrations. The URLs are known before, so the Worker can start meanwhile. */
  create: () => Promise<void>;
  /** The project owner (postgres, not a superuser): for seeding and reading as the test. */
  adminUrl: string;
  /** What the Worker connects as (office_api, through its Hyperdrive binding). */
  apiUrl: string;
  drop: () => Promise<void>;
}

const withDatabase = (url: string, database?: string) => {
  const u = new URL(url);
  if (database) u.pathname = `/${database}`;
  return u.toString();
};

export function planE2EDatabase(): E2EDatabase {
  const server: Server = {
    adminUrl: (database) => withDatabase(inject("adminUrl"), database ?? "postgres"),
    superuserUrl: (database) => withDatabase(inject("superuserUrl"), database),
  };
  const name = `office_e2e_${randomBytes(4).toString("hex")}`;
  // office_api is a cluster-wide role: keep the password the shared test database's Worker uses.
  const apiPassword = decodeURIComponent(new URL(inject("databaseUrl")).password);
  const adminUrl = server.adminUrl(name);
  const create = async () => {
    await prepareDatabase(server, name);
    await migrate(adminUrl, { seed: false, apiPassword });
  };
  return { name, create, adminUrl, apiUrl: apiUrl(adminUrl, apiPassword), drop: () => dropDatabase(server, name) };
}
