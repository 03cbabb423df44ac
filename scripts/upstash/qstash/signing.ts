// The Upstash-Signature JWT, as @upstash/qstash's Receiver verifies it: HS256 keyed with the
// UTF-8 bytes of the signing key; claims iss "Upstash", sub = destination URL, iat/nbf/exp,
// jti, and body = base64url(SHA-256(raw body)) (padded, like Upstash; Receiver ignores padding).
import { createHash, createHmac, randomBytes } from "node:crypto";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function signDelivery(options: { signingKey: string; url: string; body: Buffer; nowMs?: number; ttlSeconds?: number }): string {
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const bodyHash = createHash("sha256").update(options.body).digest("base64url");
  const payload = {
    iss: "Upstash",
    sub: options.url,
    exp: now + (options.ttlSeconds ?? 300),
    nbf: now,
    iat: now,
    jti: `jwt_${randomBytes(12).toString("hex")}`,
    body: bodyHash.padEnd(Math.ceil(bodyHash.length / 4) * 4, "="),
  };
  const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", options.signingKey).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}
