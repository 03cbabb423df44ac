// One transaction as office_jobs, the role QStash jobs and signed hooks run as: it holds no table
// privileges and may call only a few narrow security-definer functions. One flight, like a
// request's; each call is its own transaction and connection.
import type { Context } from "hono";
import { RequestDb, type Queue } from "../../shared/db/tx.ts";
import type { AppConfig } from "../types.ts";

export function jobsTx(c: Context<AppConfig>, job: string): <T>(fn: (q: Queue) => Promise<T>) => Promise<T> {
  return async (fn) => {
    const db = new RequestDb(
      c.env.HYPERDRIVE.connectionString,
      { claims: { role: "office_jobs", job }, requestId: c.var.requestId, role: "office_jobs" },
      (p) => c.executionCtx.waitUntil(p),
      c.var.log,
    );
    try {
      return await db.tx(fn);
    } finally {
      await db.finish();
    }
  };
}
