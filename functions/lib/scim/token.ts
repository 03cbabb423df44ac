// SCIM bearer tokens: 32 random bytes, base64url, with a recognisable prefix (secret scanners
// and people can tell what leaked). Only the SHA-256 is stored; the Worker presents it to
// Postgres as hex in the request claims, where private.scim_tenant() resolves the tenant.
const PREFIX = "scim_";

export function newScimToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Shape check before any hashing or lookup: anything else is refused as malformed. */
export const isScimTokenShape = (token: string) => /^scim_[A-Za-z0-9_-]{43}$/.test(token);

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
