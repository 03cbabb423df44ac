// Every minute (QStash schedule "outbox-drain"): publishes due outbox rows to QStash, each with
// its deterministic deduplicationId and notBefore, then marks them published. A crash between
// the two leaves rows unpublished; the next drain publishes them again, QStash drops the
// duplicate within its window, and the job's own effect is exactly-once beyond it.
import { Client } from "@upstash/qstash";
import { z } from "zod";
import { defineJob } from "./types.ts";

export const OUTBOX_DRAIN_SCHEDULE_ID = "outbox-drain";
export const OUTBOX_DRAIN_CRON = "* * * * *";
const BATCH = 100;

type Due = { id: string; job: string; dedupe_id: string; payload: Record<string, unknown>; not_before: string };

export const outboxDrain = defineJob({
  name: "outbox-drain",
  payload: z.looseObject({}),
  async run({ tx, env, log }) {
    const due = await tx((q) => q.rows<Due>("select * from private.outbox_due($1)", [BATCH]));
    const qstash = new Client({ baseUrl: env.QSTASH_URL, token: env.QSTASH_TOKEN });
    const base = env.PUBLIC_API_URL.replace(/\/$/, "");
    const published = await Promise.allSettled(
      due.map((row) =>
        qstash.publishJSON({
          url: `${base}/hooks/qstash/${row.job}`,
          body: row.payload,
          deduplicationId: row.dedupe_id,
          notBefore: Math.floor(Date.parse(row.not_before) / 1000),
        }),
      ),
    );
    const ok = due.flatMap((row, i) => {
      const r = published[i]!;
      if (r.status === "fulfilled") return [{ id: row.id, messageId: r.value.messageId }];
      log("warn", "outbox publish failed; the next drain retries", { dedupeId: row.dedupe_id, error: String(r.reason) });
      return [];
    });
    const marked = ok.length
      ? await tx((q) =>
          q.one<{ n: number }>("select private.outbox_published($1::uuid[], $2::text[]) as n", [ok.map((o) => o.id), ok.map((o) => o.messageId)]),
        )
      : { n: 0 };
    return { due: due.length, published: ok.length, marked: marked?.n ?? 0 };
  },
});
