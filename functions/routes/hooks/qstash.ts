import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../../shared/errors.ts";
import { jobs } from "../../jobs/index.ts";
import { jobsTx } from "../../lib/jobs-tx.ts";
import { errorResponses, json } from "../../lib/openapi.ts";
import { redisFor } from "../../lib/redis.ts";
import { qstashSignature } from "../../middleware/qstash-signature/index.ts";
import type { App } from "../../types.ts";

const JobResult = z.object({ job: z.string(), result: z.record(z.string(), z.unknown()) }).openapi("JobResult");

export const route = createRoute({
  method: "post",
  path: "/hooks/qstash/{job}",
  tags: ["hooks"],
  summary: "Run a scheduled job (QStash delivery)",
  description: `Called only by QStash, signed with Upstash-Signature. Jobs: ${Object.keys(jobs).join(", ")}.`,
  security: [{ qstashSignature: [] }],
  middleware: [qstashSignature()],
  request: { params: z.object({ job: z.string().openapi({ param: { name: "job", in: "path" }, example: "usage-flush" }) }) },
  responses: { 200: json(JobResult, "The job ran (or found nothing to do)"), ...errorResponses("unauthorized", "not_found", "unavailable") },
});

/** A count from the Upstash-Retried header (0 when absent or not a small number). */
const retriedOf = (header: string | undefined) => (header && /^\d{1,3}$/.test(header) ? Number(header) : 0);

export const register = (app: App) =>
  app.openapi(route, async (c) => {
    const { job: name } = c.req.valid("param");
    const job = jobs[name];
    if (!job) throw new ApiError("not_found", `no job ${name}`);
    const text = await c.req.text();
    let raw: unknown;
    try {
      raw = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError("bad_request", "the job payload is not JSON");
    }
    const payload = job.payload.safeParse(raw);
    if (!payload.success) {
      throw new ApiError("bad_request", "the job payload does not match its schema", {
        fieldErrors: payload.error.issues.map((i) => ({ path: ["body", ...i.path.map(String)].join("."), message: i.message })),
      });
    }
    const tx = jobsTx(c, name);
    const result = await job.run(
      { tx, env: c.var.env, redis: redisFor(c.var.env), log: c.var.log, messageId: c.req.header("upstash-message-id") ?? null, retried: retriedOf(c.req.header("upstash-retried")), now: new Date() },
      payload.data,
    );
    c.var.log("info", "job ran", { job: name, ...result });
    return c.json({ job: name, result }, 200);
  });
