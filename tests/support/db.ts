// The harness's owner connection (like supabase-test-helpers): seeds fixtures and runs SQL as
// `authenticated` with chosen claims. Tests use it; the Worker never sees this URL.
import type { Client } from "pg";
import { workerClient } from "../../shared/db/client.ts";
import { inject } from "vitest";
import { closeGracefully } from "../../shared/db/close.ts";

export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = workerClient({ connectionString: inject("adminUrl") });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await closeGracefully(client);
  }
}

/** Runs statements exactly as a request would: inside a transaction, as authenticated, with claims. */
export async function asAuthenticated<T>(claims: Record<string, unknown>, fn: (client: Client) => Promise<T>): Promise<T> {
  return withAdmin(async (client) => {
    await client.query("begin");
    try {
      await client.query("select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      return await fn(client);
    } finally {
      await client.query("rollback");
    }
  });
}
