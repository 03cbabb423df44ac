// A webhook-triggered workflow's signing secret is derived, not stored: HMAC-SHA256 of its tenant
// and id under WORKFLOW_WEBHOOK_SECRET, in Standard Webhooks' `whsec_<base64>` form. The
// database (or a backup) holds nothing that signs a webhook, and the secret names its tenant,
// so a signature made for one business's workflow never verifies for another's.
import type { AppEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";

const encoder = new TextEncoder();
let keyCache: { source: string; key: CryptoKey } | undefined;

export async function workflowWebhookSecret(env: AppEnv, tenantId: string, workflowId: string): Promise<string> {
  const source = env.WORKFLOW_WEBHOOK_SECRET;
  if (!source) throw new ApiError("unavailable", "workflow webhooks are not configured on this server (WORKFLOW_WEBHOOK_SECRET)");
  if (keyCache?.source !== source) {
    keyCache = { source, key: await crypto.subtle.importKey("raw", encoder.encode(source), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
  }
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", keyCache.key, encoder.encode(`workflow-webhook:${tenantId}:${workflowId}`)));
  return `whsec_${btoa(String.fromCharCode(...mac))}`;
}
