// A webhook-triggered workflow's signing secret is derived, not stored: HMAC-SHA256 of its tenant,
// id and secret generation under WORKFLOW_WEBHOOK_SECRET, in Standard Webhooks' `whsec_<base64>`
// form. The database (or a backup) holds only the generation counter, nothing that signs a
// webhook, and the secret names its tenant, so a signature made for one business's workflow never
// verifies for another's. Rotating bumps the generation (generation 0 is the secret from before
// rotation existed); the previous generation keeps verifying for a grace period.
import type { AppEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";

const encoder = new TextEncoder();
let keyCache: { source: string; key: CryptoKey } | undefined;

/** How long the previous secret still verifies after a rotation (the migration's interval). */
export const WORKFLOW_SECRET_GRACE_HOURS = 24;

export async function workflowWebhookSecret(env: AppEnv, tenantId: string, workflowId: string, generation = 0): Promise<string> {
  const source = env.WORKFLOW_WEBHOOK_SECRET;
  if (!source) throw new ApiError("unavailable", "workflow webhooks are not configured on this server (WORKFLOW_WEBHOOK_SECRET)");
  if (keyCache?.source !== source) {
    keyCache = { source, key: await crypto.subtle.importKey("raw", encoder.encode(source), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
  }
  const message = generation === 0 ? `workflow-webhook:${tenantId}:${workflowId}` : `workflow-webhook:${tenantId}:${workflowId}:${generation}`;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", keyCache.key, encoder.encode(message)));
  return `whsec_${btoa(String.fromCharCode(...mac))}`;
}
