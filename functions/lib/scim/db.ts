// The database handle of a SCIM request: one transaction as `office_scim`, whose policies derive
// the tenant from the presented token's SHA-256 (request.jwt.claims.scim_token_sha256) inside
// Postgres. The first statement, private.scim_enter(), refuses an unknown, expired or revoked
// token (401), stamps its last use and writes the request's audit row with the token's name; the
// handler's statements follow in the same flight.
import type { Context } from "hono";
import { RequestDb, type Queue } from "../../../shared/db/tx.ts";
import type { AppConfig } from "../../types.ts";
import { sha256Hex } from "./token.ts";

export interface ScimCaller {
  tenantId: string;
  tokenId: string;
  tokenName: string;
}

export function scimDb(c: Context<AppConfig>, tokenSha256: string): RequestDb {
  return new RequestDb(
    c.env.HYPERDRIVE.connectionString,
    { claims: { role: "office_scim", scim_token_sha256: tokenSha256 }, requestId: c.var.requestId, role: "office_scim" },
    (p) => c.executionCtx.waitUntil(p),
    c.var.log,
  );
}

/** Runs the handler's statements after scim_enter() in the request's one flight. */
export async function scimTx<T>(c: Context<AppConfig>, fn: (q: Queue) => Promise<T>): Promise<{ caller: ScimCaller; result: T }> {
  const [caller, result] = await c.var.db.tx((q) =>
    Promise.all([
      q.one<ScimCaller>(`select tenant_id as "tenantId", token_id as "tokenId", token_name as "tokenName" from private.scim_enter($1, $2)`, [c.req.method, c.req.path]),
      fn(q),
    ]),
  );
  return { caller: caller!, result };
}

/**
 * A second transaction of the same SCIM request (a create around the Auth call, a PATCH's
 * conditional write): as office_scim with the same token, so RLS binds it to the same tenant.
 */
export async function secondFlight<T>(c: Context<AppConfig>, fn: (q: Queue) => Promise<T>): Promise<T> {
  const token = (c.req.header("authorization") ?? "").replace(/^Bearer +/i, "");
  const db = scimDb(c, await sha256Hex(token));
  try {
    return await db.tx(fn);
  } finally {
    await db.finish();
  }
}
