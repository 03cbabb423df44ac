// A job: a name (the /hooks/qstash/{job} path), a zod payload and a handler. Delivery is at least
// once, so a handler makes its effect exactly once (a unique constraint on the effect) and
// re-checks that the work is still current.
import type { Redis } from "@upstash/redis/cloudflare";
import type { z } from "zod";
import type { Logger, Queue } from "../../shared/db/tx.ts";
import type { AppEnv } from "../../shared/env.ts";

export interface JobContext {
  /** One transaction as office_jobs (one flight, like a request's); each call is its own. */
  tx: <T>(fn: (q: Queue) => Promise<T>) => Promise<T>;
  env: AppEnv;
  redis: Redis;
  log: Logger;
  messageId: string | null;
  /** Upstash-Retried: how many times QStash delivered this message before (0 on the first). */
  retried: number;
  now: Date;
}

export interface Job<P extends z.ZodType = z.ZodType> {
  name: string;
  payload: P;
  run: (ctx: JobContext, payload: z.infer<P>) => Promise<Record<string, unknown>>;
}

export const defineJob = <P extends z.ZodType>(job: Job<P>): Job<P> => job;
