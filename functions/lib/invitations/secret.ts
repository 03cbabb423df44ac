// An invitation's emailed secret is derived, not stored: HMAC-SHA256 of its tenant and id under
// INVITATION_SECRET, base64url. The request that creates the invitation stores only the secret's
// SHA-256; the job that sends the email derives the secret again. So the database (or a backup)
// holds nothing that accepts an invitation, and no secret waits in the outbox or in QStash.
import { ApiError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/env.ts";

const encoder = new TextEncoder();
let keyCache: { source: string; key: CryptoKey } | undefined;

async function hmacKey(env: AppEnv): Promise<CryptoKey> {
  const source = env.INVITATION_SECRET;
  if (!source) throw new ApiError("unavailable", "invitations are not configured on this server (INVITATION_SECRET)");
  if (keyCache?.source !== source) {
    keyCache = { source, key: await crypto.subtle.importKey("raw", encoder.encode(source), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]) };
  }
  return keyCache.key;
}

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The secret the invited person receives (43 characters). */
export async function invitationSecret(env: AppEnv, tenantId: string, invitationId: string): Promise<string> {
  return base64url(await crypto.subtle.sign("HMAC", await hmacKey(env), encoder.encode(`invitation:${tenantId}:${invitationId}`)));
}

/** What the database stores and looks up: SHA-256 of the secret, as Postgres bytea hex input. */
export async function secretHash(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
  return `\\x${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
