// The bench's report: one markdown document per run, printed and written with its JSON twin to
// .data/bench/<timestamp>.{md,json} (or the temp directory if .data is not writable).
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./config.ts";
import { boundsMarkdown, type Bounds } from "./bounds.ts";
import type { MachineInfo, Peak } from "./machine.ts";
import type { HelperCost, RlsRow } from "./rls.ts";
import type { Timeline } from "./rounds.ts";

export interface RouteRow {
  label: string;
  pgQueryRts: number;
  pgStartupRts: number;
  pgConnections: number;
  redisRts: number;
  /** Of those, answered before the first Postgres query was sent (awaited before the handler). */
  redisAwaited: number;
  redisRequests: number;
  p50: number;
  p99: number;
  delayedP50: number;
  delayedP99: number;
  /** (p50 delayed − p50) ÷ RTT, and the median of the paired differences ÷ RTT. */
  derivedRts: number;
  pairedRts: number;
  n: number;
  rps?: number;
  ratioToBare?: number;
  /** Throughput slices ended by Olivia's member budget rather than time. */
  bound?: number;
  response?: string;
  detail?: string;
}

export interface PathRow {
  path: "pooled" | "direct";
  p50: number;
  p99: number;
  startupMs: number;
  rps?: number;
  redis?: { p50: number; delayedP50: number; growth: number; pairedGrowth: number; redisRts: number; redisAwaited: number; timeline: Timeline; timelineBase: Timeline };
}

export interface Report {
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  rttMs: number;
  concurrency: number;
  helperCalls: number;
  /** What was run, in words (the report's Load line). */
  load: Record<string, string>;
  versions: Record<string, string>;
  /** How the Worker reached Postgres for the key-route figures. */
  path: string;
  pooled: boolean;
  selfChecks: string[];
  data: string[];
  routes: RouteRow[];
  bare: { p50: number; p99: number; rps?: number };
  paths: PathRow[];
  limits?: { p50With: number; p50Without: number; paired: number; rpsWith?: number; rpsWithout?: number };
  rls?: { rows: RlsRow[]; seconds: number; clients: number };
  helpers?: HelperCost[];
  /** CPU per request by process group, per throughput target (bounds.ts). */
  bounds?: Bounds;
  memory: Record<string, Peak>;
  notes: string[];
  failures: string[];
}

const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(1));
const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(2));
const count = (n: number) => (Number.isNaN(n) ? "n/a" : Number.isInteger(n) ? String(n) : n.toFixed(2));
const int = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "n/a" : Math.round(n).toLocaleString("en-US"));
const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(" / ") : "n/a");
const nRange = (rows: RouteRow[]) => {
  const ns = rows.map((x) => x.n);
  return Math.min(...ns) === Math.max(...ns) ? String(ns[0]) : `${Math.min(...ns)}–${Math.max(...ns)}`;
};
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export function markdown(r: Report): string {
  const m = r.machine;
  const rtt = r.rttMs;
  const out: string[] = [];
  out.push(`# npm run bench — ${r.startedAt}`, "");
  out.push(
    `**Machine**: ${m.cores} cores (${m.cpu}), ${m.memoryGiB.toFixed(1)} GiB, ${m.os}; load average (1/5/15 min) ${load(m.loadBefore)} before, ` +
      `${load(m.loadAfter)} after. Postgres, pgbouncer, the Upstash stand-ins, four Workers under wrangler dev and this client share the cores: other work on the machine skews latency and throughput.`,
    "",
    `**Versions**: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    `**Load**: ${Object.entries(r.load).map(([k, v]) => `${k}: ${v}`).join("; ")}. The run took ${Math.round(r.seconds)} s.`,
    "",
    `**Data**: ${r.data.join("; ")}.`,
    "",
    `**Postgres path**: ${r.path}.`,
    "",
  );

  out.push(`## Key routes${r.pooled ? " (pooled)" : " — DIRECT connections, no pooler"}`, "");
  out.push(
    table(
      ["route", "PG query RTs", "PG start-up RTs", "Redis RTs (awaited)", "p50 / p99 ms", `p50 / p99 ms, +${rtt} ms RTT to Postgres`, "Δp50 ÷ RTT (paired)", `req/s c=${r.concurrency}${r.pooled ? " pooled" : " DIRECT"}`, "÷ bare Hono"],
      [
        ...r.routes.map((x) => [
          x.label,
          count(x.pgQueryRts),
          count(x.pgStartupRts),
          `${count(x.redisRts)} (${count(x.redisAwaited)})`,
          `${f1(x.p50)} / ${f1(x.p99)}`,
          `${f1(x.delayedP50)} / ${f1(x.delayedP99)}`,
          `${f1(x.derivedRts)} (${f1(x.pairedRts)})`,
          `${int(x.rps)}${x.bound ? ` (${x.bound} slices at the member budget)` : ""}`,
          f2(x.ratioToBare),
        ]),
        ["bare Hono, same workerd (no database)", "–", "–", "–", `${f1(r.bare.p50)} / ${f1(r.bare.p99)}`, "–", "–", int(r.bare.rps), "1.00"],
      ],
    ),
    "",
    `Round trips per request, counted by the proxies with their delay on (exact; see pg-proxy.ts and redis-proxy.ts); "awaited": Redis round trips answered ` +
      `before the first Postgres query was sent (the limiter's read; spending the windows and metering go on in waitUntil). The Postgres delay applies after the ` +
      `connection's start-up, as with Hyperdrive, which answers start-up near the Worker: the latency with it grows by the query round trips only. ` +
      `p99 is the nearest rank over ${nRange(r.routes)} sequential requests per column. Sequential requests run as acme's owner; throughput spreads ` +
      `GET/PATCH /v1/me, sign-up and tasks over the seeded tenants' owners (the calendar and dashboard need acme's data), against a second ` +
      `instance of the same API bound straight to pgbouncer and the Redis stand-in, as production has no counting proxy.`,
    "",
  );
  for (const x of r.routes) if (x.response || x.detail) out.push(`- ${x.label}: ${[x.response, x.detail].filter(Boolean).join("; ")}`);
  out.push("");

  out.push("## Direct vs pooled, and the Redis-delay experiment (GET /v1/me)", "");
  out.push(
    table(
      ["path", "p50 / p99 ms", "PG start-up ms", `req/s c=${r.concurrency}`, `p50 ms, Redis +${rtt} ms RTT`, "growth (paired) ms", "Redis RTs (awaited)", "connection ready before the limiter's answer"],
      r.paths.map((p) => [
        p.path === "pooled" ? "pooled (pgbouncer)" : "direct",
        `${f1(p.p50)} / ${f1(p.p99)}`,
        f1(p.startupMs),
        int(p.rps),
        f1(p.redis?.delayedP50),
        p.redis ? `${f1(p.redis.growth)} (${f1(p.redis.pairedGrowth)})` : "n/a",
        p.redis ? `${count(p.redis.redisRts)} (${count(p.redis.redisAwaited)})` : "n/a",
        p.redis ? `${p.redis.timeline.readyFirst} of ${p.redis.timeline.n}` : "n/a",
      ]),
    ),
    "",
    `No Postgres delay here; req/s: both paths through the counting proxies, so the proxies' cost weighs on both alike. "PG start-up" is accept → ReadyForQuery at the proxy (pooled: pgbouncer's answer; direct: a Postgres backend fork + auth). ` +
      `The API starts connecting before the limiter's Redis call, so with ${rtt} ms more to Redis the p50 should grow by that one Redis round trip, the connection hidden under it.`,
    "",
  );
  for (const p of r.paths) {
    for (const [t, redis] of p.redis ? ([[p.redis.timelineBase, "0"], [p.redis.timeline, `+${rtt}`]] as const) : []) {
      out.push(
        `- ${p.path}, Redis ${redis} ms, medians from the request's start: connection opened ${f1(t.pgOpened)} ms, ready ${f1(t.pgReady)}, ` +
          `limiter's Redis answer ${f1(t.redisAnswered)}, first query ${f1(t.firstQuery)}, last answer ${f1(t.lastAnswer)}, response ${f1(t.response)}`,
      );
    }
  }
  if (r.limits) {
    out.push(
      `- limits+metering (same snapshot, buildApp({ limits: false }) beside it; both Workers bound directly, no counting proxy): p50 ${f1(r.limits.p50With)} ms with, ${f1(r.limits.p50Without)} without ` +
        `(paired ${f1(r.limits.paired)} ms); req/s ${int(r.limits.rpsWith)} with, ${int(r.limits.rpsWithout)} without`,
    );
  }
  out.push("");

  if (r.bounds?.rows.length) out.push(...boundsMarkdown(r.bounds, table));

  if (r.rls) {
    out.push(`## RLS inside Postgres (pgbench -c ${r.rls.clients} -T ${r.rls.seconds}, extended protocol, pipelined like the Worker)`, "");
    out.push(
      table(
        ["statement", "rows", "tps with RLS", "tps without", "ratio (with ÷ without)", "latency ms with / without"],
        r.rls.rows.map((x) => [x.label, String(x.rows), int(x.withTps), int(x.withoutTps), f2(x.ratio), `${f2(x.withLatencyMs)} / ${f2(x.withoutLatencyMs)}`]),
      ),
      "",
      "With RLS: the Worker's transaction (begin; set_config role + claims; the statement; commit) as `office_api` → `authenticated`. Without: the same " +
        "statement as the table owner with the policies' filters written out (tenant, live rows; for the employee, assignee/creator or owner/attendee); both forms return the same rows (checked first). " +
        "A ratio above 1 means the hand-written form planned worse; the scans each plan uses (with RLS / without):",
      "",
      ...r.rls.rows.map((x) => `- ${x.label}: ${x.plans.with} / ${x.plans.without}`),
      "",
    );
  }
  if (r.helpers) {
    out.push(
      table(
        ["helper (cached plans)", "µs per call"],
        r.helpers.map((h) => [`\`${h.helper}\``, f1(h.perCallUs)]),
      ),
      "",
      `Each called ${r.helperCalls.toLocaleString("en-US")} times in one statement as \`authenticated\` (acme's owner), EXPLAIN ANALYZE execution time net of the same statement without the call. Policies call them as \`(select …)\`: once per statement.`,
      "",
    );
  }

  out.push("## Peak memory (sampled every 2 s)", "");
  out.push(
    table(
      ["processes", "peak RSS MiB", "peak PSS MiB", "processes (max)"],
      Object.entries(r.memory).map(([k, p]) => [k, int(p.rssMiB), p.pssMiB === undefined ? "–" : int(p.pssMiB), String(p.processes)]),
    ),
    "",
    "Sums over each group's processes. PSS (Postgres, every 6 s) splits shared pages among the processes sharing them, so shared buffers count once; RSS counts them in every backend.",
    "",
  );
  out.push("## Checks and notes", "", ...r.selfChecks.map((s) => `- ${s}`), ...r.notes.map((s) => `- ${s}`));
  out.push(...(r.failures.length ? ["", "**Failures**:", ...r.failures.map((f) => `- ${f}`)] : ["- no request failed"]), "");
  return out.join("\n");
}

/** Writes the report's two files; returns where they went. */
export async function writeReport(r: Report, md: string): Promise<string> {
  const name = r.startedAt.replace(/[:.]/g, "-");
  for (const dir of [join(root, ".data/bench"), join(tmpdir(), "ai-office-bench-reports")]) {
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${name}.md`), md);
      await writeFile(join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
      return join(dir, `${name}.{md,json}`);
    } catch {
      // not writable (e.g. a checkout owned by another user): try the next place
    }
  }
  throw new Error("could not write the report anywhere");
}
