// The Upstash Redis client for one request. Auto-pipelining turns every command issued in the
// same tick (rate limits, usage counters) into one HTTP round trip. A client per request, not
// per isolate: a Worker must not resolve one request's promises with another request's I/O.
import { Redis } from "@upstash/redis/cloudflare";
import type { AppEnv } from "../../shared/env.ts";

export function redisFor(env: AppEnv): Redis {
  return new Redis({
    url: env.UPSTASH_REDIS_REST_URL,
    token: env.UPSTASH_REDIS_REST_TOKEN,
    enableAutoPipelining: true,
    // Fail fast: a limiter waiting on retries would hold the request; the policy decides instead.
    retry: { retries: 1, backoff: () => 50 },
  });
}
