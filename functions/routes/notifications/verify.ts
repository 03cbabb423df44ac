import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { json, jsonBody, tenantErrors, tenantScope } from "../../lib/openapi.ts";
import type { App } from "../../types.ts";
import { selectNotificationSettings, verifyDestination } from "./queries.ts";
import { NotificationSettings, VerifyDestination } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/v1/me/notifications/verify",
  tags: ["me"],
  summary: "Verify a custom notification address with the code sent there",
  description:
    "A custom email address or Telegram chat saved with PUT /v1/me/notifications is pending: a 6-digit code goes there once, and nothing else does until it is verified here. The code expires after 30 minutes and allows 5 attempts (each counts, right or wrong); after that, save the address again for a new code (at most 5 codes per hour). No Idempotency-Key: a refused attempt must still count.",
  ...tenantScope,
  request: { body: jsonBody(VerifyDestination) },
  responses: {
    200: json(NotificationSettings, "Verified: the settings, with the address in use"),
    ...tenantErrors("not_found", "conflict", "verification_failed", "verification_expired", "verification_locked", "unsupported_media_type", "payload_too_large"),
  },
});

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { channel, code } = c.req.valid("json");
    // One flight: the attempt (committed whatever it says), then the settings as they now are.
    const [attempt, settings] = await c.var.db.tx((q) => Promise.all([verifyDestination(q, channel, code), selectNotificationSettings(q)]));
    if (!attempt) throw new ApiError("not_found", `no ${channel} address of yours is waiting for verification`);
    switch (attempt.outcome) {
      case "verified":
        return c.json(settings!, 200);
      case "wrong":
        throw new ApiError("verification_failed", `${attempt.attempts_left} attempts left`, { fieldErrors: [{ path: "body.code", message: "does not match" }] });
      case "expired":
        throw new ApiError("verification_expired");
      case "locked":
        throw new ApiError("verification_locked");
      case "not_sent":
        throw new ApiError("conflict", "the code has not been sent yet; try again in a minute");
    }
  });
