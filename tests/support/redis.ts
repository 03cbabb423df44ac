// The test's own view of Redis, through the same Upstash REST stand-in the Worker uses.
import { Redis } from "@upstash/redis/cloudflare";
import { inject } from "vitest";

export const testRedis = () => new Redis({ url: inject("redisRestUrl"), token: inject("redisRestToken") });
