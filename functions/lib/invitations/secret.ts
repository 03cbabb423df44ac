// An invitation's emailed secret is derived, not stored: HMAC-SHA256 of its tenant and id under
// INVITATION_SECRET, base64url. The request that creates the invitation stores only the secret's
// SHA-256; the job that sends the email derives the secret again. So the database (or a backup)
// holds nothing that accepts an invitation, and no secret waits in the outbox or in QStash.
import type { AppEnv } from "../../../shared/env.ts";
import { derivedMac, sha256Hex } from "../derived-secret.ts";

const mac = derivedMac((env) => env.INVITATION_SECRET, "invitations are not configured on this server (INVITATION_SECRET)");

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The secret the invited person receives (43 characters). */
export async function invitationSecret(env: AppEnv, tenantId: string, invitationId: string): Promise<string> {
  return base64url(await mac(env, `invitation:${tenantId}:${invitationId}`));
}

/** What the database stores and looks up: SHA-256 of the secret, as Postgres bytea hex input. */
export async function secretHash(secret: string): Promise<string> {
  return `\\x${await sha256Hex(secret)}`;
}
