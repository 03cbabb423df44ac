// Signs deliveries exactly as QStash does (Upstash-Signature: HS256 JWT over the raw body, sub =
// destination URL), for calling /hooks/qstash/* through the Worker. The stand-in's conformance
// tests prove this format against @upstash/qstash's Receiver.
import { base64url, SignJWT } from "jose";
import { inject } from "vitest";
import { PUBLIC_API_URL } from "./config.ts";
import { call } from "./http.ts";

export async function qstashSignature(path: string, body: string, options: { key?: string; url?: string; iat?: number } = {}): Promise<string> {
  const hash = base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body))));
  const now = options.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ body: hash })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("Upstash")
    .setSubject(options.url ?? `${PUBLIC_API_URL}${path}`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .setJti(`jwt_${crypto.randomUUID()}`)
    .sign(new TextEncoder().encode(options.key ?? inject("qstashCurrentSigningKey")));
}

/** Delivers a job the way QStash would (a fresh signature per delivery, like its retries). */
export async function deliver(job: string, payload: unknown = {}, messageId = `msg_${crypto.randomUUID()}`): Promise<Response> {
  const path = `/hooks/qstash/${job}`;
  const body = JSON.stringify(payload);
  return call(path, {
    method: "POST",
    rawBody: body,
    headers: { "content-type": "application/json", "upstash-signature": await qstashSignature(path, body), "upstash-message-id": messageId },
  });
}
