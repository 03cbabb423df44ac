import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import { redisFor } from "../../lib/redis.ts";
import { restoreMember, revokeMember } from "../../lib/revocations.ts";
import { assertVisible } from "../../lib/write-outcome.ts";
import type { App } from "../../types.ts";
import { updateMember } from "./queries.ts";
import { Member, MemberPatch, UserIdParam } from "./schema.ts";

export const route = createRoute({
  method: "patch",
  path: "/v1/members/{userId}",
  tags: ["members"],
  summary: "Change a member's role, department or active flag (owner/admin)",
  description:
    "Only an owner grants, removes or edits the owner role; a business always keeps one active owner. A deactivated member is refused on their very next request.",
  ...tenantScope,
  request: { params: UserIdParam, body: jsonBody(MemberPatch) },
  responses: {
    200: json(Member, "The member after the change"),
    ...tenantErrors("forbidden", "not_found", "last_owner", "unsupported_media_type"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { userId } = c.req.valid("param");
    const result = await c.var.db.tx((q) => updateMember(q, userId, c.req.valid("json")));
    assertVisible(result, `member ${userId}`);
    const { visible: _, ...member } = result;
    if (member.userId === null) throw new ApiError("forbidden", "only owners and admins change members");
    // The database refuses a deactivated member from now on; this spares the tenant's limits
    // their still-valid tokens (and counts them again once reactivated).
    const { active } = c.req.valid("json");
    if (active !== undefined) {
      const redis = redisFor(c.var.env);
      const write = active ? restoreMember(redis, c.var.tenantId, userId) : revokeMember(redis, c.var.tenantId, userId);
      // Awaited (one Redis round trip on a rare admin call) so the next request already sees it.
      await write.catch((e: unknown) => c.var.log("warn", "could not record a member's revocation", { error: String(e) }));
    }
    return c.json(member, 200);
  });
