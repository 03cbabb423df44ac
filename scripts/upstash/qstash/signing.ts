// The Upstash-Signature JWT, as @upstash/qstash's Receiver verifies it: HS256 keyed with the
// UTF-8 bytes of the signing key; claims iss "Upstash", sub = destination URL, iat/nbf/exp,
// jti, and body = base64url(SHA-256(raw body)) (padded, like Upstash; Receiver ignores padding).
import { createHash, randomBytes } from "node:crypto";
import { SignJWT } from "jose";

const TTL_SECONDS = 300;

export async function signDelivery(options: { signingKey: string; url: string; body: Buffer }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const bodyHash = createHash("sha256").update(options.body).digest("base64url");
  return new SignJWT({ body: bodyHash.padEnd(Math.ceil(bodyHash.length / 4) * 4, "=") })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(options.url)
    .setExpirationTime(now + TTL_SECONDS)
    .setNotBefore(now)
    .setIssuedAt(now)
    .setJti(`jwt_${randomBytes(12).toString("hex")}`)
    .sign(new TextEncoder().encode(options.signingKey));
}
