// What every /scim/v2/Users route shares: the id in the path, the JSON body, the Redis side of a
// (de)activation, and the response. A user is a membership of this business only; deactivation
// (active false, or DELETE) ends the membership at once (RLS reads it on the next request) and
// refuses the person's still-valid access tokens before they count against the business's limits.
import type { Context } from "hono";
import { redisFor } from "../../lib/redis.ts";
import { restoreMember, revokeMember } from "../../lib/revocations.ts";
import { projection, project } from "../../lib/scim/attributes.ts";
import { scimBody } from "../../lib/scim/body.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import { baseUrl, scimJson } from "../../lib/scim/respond.ts";
import { renderUser, type UserRow } from "../../lib/scim/user-resource.ts";
import type { AppConfig } from "../../types.ts";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const notFound = (id: string) => new ScimError(404, undefined, `no User ${id}`);

/** An id that is not one of ours is simply not found (never a 400 or a 500). */
export function userId(c: Context<AppConfig>): string {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id.toLowerCase();
}

export const body = scimBody;

/** The membership ended or came back: keep the person's tokens off (or back on) the limits. */
export async function recordActivity(c: Context<AppConfig>, tenantId: string, person: string, wasActive: boolean, active: boolean) {
  if (wasActive === active) return;
  const redis = redisFor(c.var.env);
  const write = active ? restoreMember(redis, tenantId, person) : revokeMember(redis, tenantId, person);
  await write.catch((e: unknown) => c.var.log("warn", "could not record a member's revocation", { error: String(e) }));
}

export const respond = (c: Context<AppConfig>, row: UserRow, status = 200, headers: Record<string, string> = {}) =>
  scimJson(project(renderUser(row, baseUrl(c.req.url)), projection(c.req.query("attributes"), c.req.query("excludedAttributes"))), status, headers);
