// /hooks/qstash/*: the Upstash-Signature JWT is verified on the raw body with the current and
// the next signing key (key rotation), pinned to this URL; stale tokens (exp, or issued more than
// 10 minutes ago) and replays of an already-seen token (jti, remembered in Redis) are refused.
// QStash's own retries carry fresh tokens, so they pass; the job's effect is exactly-once anyway.
import { Receiver } from "@upstash/qstash";
import type { MiddlewareHandler } from "hono";
import { decodeJwt } from "jose";
import { ApiError } from "../../../shared/errors.ts";
import { redisFor } from "../../lib/redis.ts";
import type { AppConfig } from "../../types.ts";

const MAX_AGE_S = 10 * 60;
const REPLAY_WINDOW_S = 15 * 60;

export function qstashSignature(): MiddlewareHandler<AppConfig> {
  return async function qstashSignature(c, next) {
    const { env, log } = c.var;
    const signature = c.req.header("upstash-signature");
    if (!signature) throw new ApiError("unauthorized", "Upstash-Signature is required");
    const body = await c.req.text();
    const url = `${env.PUBLIC_API_URL.replace(/\/$/, "")}${c.req.path}`;
    const receiver = new Receiver({ currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY });
    try {
      await receiver.verify({ signature, body, url, clockTolerance: 5 });
    } catch (e) {
      log("warn", "QStash signature refused", { reason: (e as Error).message });
      throw new ApiError("unauthorized", "the signature does not verify");
    }
    const { jti, iat } = decodeJwt(signature);
    if (!jti || !iat || Date.now() / 1000 - iat > MAX_AGE_S) throw new ApiError("unauthorized", "the signature is stale");
    try {
      const fresh = await redisFor(env).set(`qstash:jti:${jti}`, 1, { nx: true, ex: REPLAY_WINDOW_S });
      if (fresh === null) throw new ApiError("unauthorized", "this signature was already used");
    } catch (e) {
      if (e instanceof ApiError) throw e;
      log("warn", "replay check unavailable; relying on the job's exactly-once effect", { error: String(e) });
    }
    await next();
  };
}
