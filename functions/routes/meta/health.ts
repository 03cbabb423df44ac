import { createRoute, z } from "@hono/zod-openapi";
import { workerClient } from "../../../shared/db/client.ts";
import { closeGracefully } from "../../../shared/db/close.ts";
import { json } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";

const Health = z
  .object({ status: z.enum(["ok", "degraded"]), checks: z.object({ database: z.enum(["ok", "unavailable"]) }) })
  .openapi("Health");

export const route = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["meta"],
  // Public: no credentials (an explicit empty list, so readers and linters know it is meant).
  security: [],
  summary: "Liveness and database reachability (public)",
  responses: { 200: json(Health, "Serving"), 503: json(Health, "The database is unreachable") },
});

/** `select 1` as the API role, which holds no privileges outside a request's transaction. */
async function databaseReachable(connectionString: string, waitUntil: (p: Promise<unknown>) => void): Promise<boolean> {
  const client = workerClient({ connectionString, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    waitUntil(closeGracefully(client));
  }
}

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const ok = await databaseReachable(c.env.HYPERDRIVE.connectionString, (p) => c.executionCtx.waitUntil(p));
    return ok
      ? c.json({ status: "ok" as const, checks: { database: "ok" as const } }, 200)
      : c.json({ status: "degraded" as const, checks: { database: "unavailable" as const } }, 503);
  });
