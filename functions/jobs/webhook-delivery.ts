// One attempt of an outbound webhook delivery, queued with the dedupe id
// webhook:{delivery}:{attempt}. The try (QStash's Upstash-Retried) is claimed in Postgres before
// anything is sent, so a duplicated delivery of the same try records one attempt and sends once.
// A failed send answers 503 so QStash retries with its backoff (the retry is the next try); a
// refused URL or a disabled endpoint is final (200). After MAX_CONSECUTIVE_FAILURES failed tries
// in a row the endpoint is disabled with the reason.
import { z } from "zod";
import { ApiError } from "../../shared/errors.ts";
import { meter } from "../lib/usage.ts";
import { openWebhookSecret } from "../lib/webhooks/secret-box.ts";
import { sendWebhook } from "../lib/webhooks/send.ts";
import { defineJob } from "./types.ts";

export const MAX_CONSECUTIVE_FAILURES = 5;

export const webhookDedupeId = (deliveryId: string, attemptId: string) => `webhook:${deliveryId}:${attemptId}`;

type Claim = {
  record_id: string;
  url: string;
  secret: string | null;
  enabled: boolean;
  event_id: string;
  event_type: string;
  occurred_at: string;
  payload: Record<string, unknown>;
};

export const webhookDelivery = defineJob({
  name: "webhook-delivery",
  payload: z.strictObject({ tenantId: z.uuid(), deliveryId: z.uuid(), attemptId: z.uuid() }),
  async run({ tx, env, redis, retried, now, log }, p) {
    const claim = await tx((q) =>
      q.one<Claim>("select * from private.claim_webhook_attempt($1, $2, $3, $4)", [p.tenantId, p.deliveryId, p.attemptId, Math.min(retried, 100)]),
    );
    if (!claim) return { outcome: "duplicate" };
    const finish = (outcome: string, status: number | null, latency: number | null, error: string | null, snippet: string | null) =>
      tx((q) =>
        q.one<{ endpoint_disabled: boolean }>("select * from private.finish_webhook_attempt($1, $2, $3, $4, $5, $6, $7, $8)", [
          p.tenantId, claim.record_id, outcome, status, latency, error, snippet, MAX_CONSECUTIVE_FAILURES,
        ]),
      );
    if (!claim.enabled || !claim.secret) {
      await finish("skipped", null, null, claim.enabled ? "the endpoint has no signing secret" : "the endpoint is disabled", null);
      return { outcome: "skipped" };
    }
    let secret: string;
    try {
      secret = await openWebhookSecret(env, p.tenantId, claim.secret);
    } catch (e) {
      // A server configuration fault (a key id no longer configured), not the endpoint's: skipped
      // (replayable once fixed), and no failure counts against the endpoint.
      log("error", "cannot decrypt a webhook signing secret", { deliveryId: p.deliveryId, error: String(e) });
      await finish("skipped", null, null, "the signing secret cannot be decrypted on this server", null);
      return { outcome: "skipped" };
    }
    const body = JSON.stringify({ id: claim.event_id, type: claim.event_type, timestamp: new Date(claim.occurred_at).toISOString(), data: claim.payload });
    const result = await sendWebhook({ url: claim.url, secret, webhookId: p.deliveryId, body, now });
    if (result.outcome === "refused") {
      const done = await finish("refused", null, null, result.error, null);
      log("warn", "webhook refused at send time", { deliveryId: p.deliveryId, reason: result.error });
      return { outcome: "refused", endpointDisabled: done?.endpoint_disabled ?? false };
    }
    const done = await finish(result.outcome, result.status, result.latencyMs, result.error, result.snippet);
    if (result.outcome === "delivered") {
      // Metering fails open (as for requests): the webhook went out either way.
      await meter(redis, p.tenantId, "successful_outcomes", 1, now).catch((e: unknown) => log("warn", "metering failed", { error: String(e) }));
      return { outcome: "delivered", status: result.status };
    }
    // Retryable: QStash delivers this message again later (Upstash-Retried + 1 = the next try).
    if (done?.endpoint_disabled) return { outcome: "failed", endpointDisabled: true };
    throw new ApiError("unavailable", `the webhook endpoint answered ${result.error}; QStash retries`);
  },
});
