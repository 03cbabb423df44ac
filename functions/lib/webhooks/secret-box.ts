// Outbound webhook signing secrets at rest: AES-256-GCM under a key from WEBHOOK_SECRET_KEYS
// ("<key id>:<base64url of 32 bytes>", comma-separated; the first encrypts, every one decrypts,
// so keys rotate by prepending a new one and dropping the old once no row names it). Stored as
// `enc:v1:<key id>:<base64 of iv ‖ ciphertext>`; the additional data names the tenant, so a
// ciphertext copied into another business's row does not decrypt. Rows written before
// encryption hold the plaintext `whsec_…`: read as is (the legacy path) and replaced, encrypted,
// on the endpoint's next rotation.
import type { AppEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";

const encoder = new TextEncoder();
const cache = new Map<string, CryptoKey>();

function fromBase64(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** The configured keys, current first (shared/env.ts validated their form). */
export function secretKeys(env: AppEnv): { id: string; raw: string }[] {
  return (env.WEBHOOK_SECRET_KEYS ?? []).map((entry) => {
    const at = entry.indexOf(":");
    return { id: entry.slice(0, at), raw: entry.slice(at + 1) };
  });
}

async function key(id: string, raw: string): Promise<CryptoKey> {
  const cacheKey = `${id}:${raw}`;
  let k = cache.get(cacheKey);
  if (!k) {
    k = await crypto.subtle.importKey("raw", fromBase64(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    cache.set(cacheKey, k);
  }
  return k;
}

const aad = (tenantId: string) => encoder.encode(`webhook-secret:${tenantId}`);

export async function sealWebhookSecret(env: AppEnv, tenantId: string, secret: string): Promise<string> {
  const current = secretKeys(env)[0];
  if (!current) throw new ApiError("unavailable", "webhook secret encryption is not configured on this server (WEBHOOK_SECRET_KEYS)");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(tenantId) }, await key(current.id, current.raw), encoder.encode(secret)),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return `enc:v1:${current.id}:${toBase64(out)}`;
}

/** The plaintext secret of a stored value; throws when its key is unknown or it does not decrypt. */
export async function openWebhookSecret(env: AppEnv, tenantId: string, stored: string): Promise<string> {
  if (stored.startsWith("whsec_")) return stored; // legacy, written before encryption
  const m = /^enc:v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]+={0,2})$/.exec(stored);
  if (!m) throw new Error("unrecognised stored webhook secret");
  const k = secretKeys(env).find((x) => x.id === m[1]);
  if (!k) throw new Error(`no key ${m[1]} in WEBHOOK_SECRET_KEYS`);
  const bytes = fromBase64(m[2]!);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: aad(tenantId) },
    await key(k.id, k.raw),
    bytes.slice(12),
  );
  return new TextDecoder().decode(plain);
}
