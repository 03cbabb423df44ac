import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../../shared/errors.ts";
import { decodeCursor, paginate } from "../../../../shared/schemas/pagination.ts";
import { json, tenantErrors, tenantScope } from "../../../lib/openapi.ts";
import type { App } from "../../../types.ts";
import { permissionFirst } from "../../../lib/validation.ts";
import { listInvitations, MAY_MANAGE_MEMBERS } from "./queries.ts";
import { InvitationListQuery, InvitationPage } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/v1/members/invitations",
  tags: ["members"],
  summary: "Invitations of the business, oldest first (members.manage)",
  ...tenantScope,
  request: { query: InvitationListQuery },
  responses: { 200: json(InvitationPage, "A page of invitations"), ...tenantErrors() },
});

export const register = (app: App) =>
  app.openapi(
    route,
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      const after = decodeCursor(cursor, 2);
      // Both in the one pipelined transaction: who may not manage members gets 403, not an empty list.
      const [may, rows] = await c.var.db.tx((q) => Promise.all([q.one<{ allowed: boolean }>(MAY_MANAGE_MEMBERS), listInvitations(q, { limit, after, status })]));
      if (!may?.allowed) throw new ApiError("forbidden", FORBIDDEN);
      return c.json(paginate(rows, limit), 200);
    },
    permissionFirst(MAY_MANAGE_MEMBERS, FORBIDDEN),
  );

const FORBIDDEN = "invitations are for members with members.manage";
