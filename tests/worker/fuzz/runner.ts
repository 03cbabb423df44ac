// The fuzz loop: fast-check draws batches of requests (each derived from one operation of the
// OpenAPI document), sends each batch concurrently, and checks every response against the
// properties and — once per batch — the table digests: a tenant none of whose members had a
// write accepted in the batch must be byte-for-byte unchanged, and the bystander always.
// On failure fast-check shrinks the batch (within a budget) and reports seed and counterexample.
import fc from "fast-check";
import { BatchArbitrary } from "./batch.ts";
import { changedTables, type Snapshot } from "./digest.ts";
import { outcomeOf, violations, type Outcome } from "./properties.ts";
import { abbreviate, materialize, requestArbitrary, type FuzzContext, type FuzzRequest, type OperationRef } from "./requests.ts";

export interface DigestCheck {
  take: () => Promise<Snapshot>;
  /** The digest key (tenant id) of each fuzzed tenant, by the callers' `home` index. */
  homeKeys: string[];
  /** Keys no caller is a member of: they must never change. */
  bystanderKeys: string[];
}

export interface FuzzOptions {
  fetch: (request: Request) => Promise<Response>;
  ctx: FuzzContext;
  operations: OperationRef[];
  /** Batches to draw; each sends `batchSize` requests at once. */
  runs: number;
  batchSize: number;
  seed: number;
  digests?: DigestCheck;
  /** Batches spent on shrinking a counterexample at most. */
  shrinkBudget?: number;
  /** Survey mode: record every violation and keep going (no shrinking); fail at the end. */
  keepGoing?: boolean;
  timeoutMs?: number;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  shrinkRequests: number;
  operations: number;
  statuses: Map<number, number>;
  /** Statuses per operation: where the fuzzer got through and where it was always refused. */
  byOperation: Map<string, Map<number, number>>;
  failures: number;
  digestChecks: number;
  durationMs: number;
  failed: boolean;
  /** fast-check's report: seed, path, the shrunk counterexample and the error. */
  message: string | undefined;
  counterexample: FuzzRequest[] | undefined;
  summary: string;
}

interface Sent {
  outcome: Outcome | undefined;
  violations: string[];
}

const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

export function toRequest(r: FuzzRequest, ctx: FuzzContext): Request {
  const headers = new Headers({ "cf-connecting-ip": r.ip });
  const authorization = ctx.callers[r.caller]!.authorization;
  if (authorization) headers.set("authorization", authorization);
  const body = r.body ? materialize(r.body) : undefined;
  if (body?.contentType) headers.set("content-type", body.contentType);
  for (const [name, value] of r.headers) headers.append(name, value);
  return new Request(`https://${r.host}${r.path}${r.query}`, { method: r.method, headers, body: body?.payload ?? null });
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { ctx, digests, seed, timeoutMs = 20_000, shrinkBudget = 150 } = options;
  const started = Date.now();
  const statuses = new Map<number, number>();
  const byOperation = new Map<string, Map<number, number>>();
  let requests = 0;
  let shrinkRequests = 0;
  let shrinkRuns = 0;
  let failures = 0;
  let digestChecks = 0;
  let shrinking = false;
  let baseline: Snapshot | undefined;
  const surveyed = new Map<string, string>();

  // Content types each operation documents per status (a non-problem answer is fine where documented).
  const documented = new Map(options.operations.map((op) => [op.key, Object.fromEntries(Object.entries(op.operation.responses ?? {}).map(([status, r]) => [Number(status), Object.keys(r.content ?? {})]))]));

  const send = async (r: FuzzRequest): Promise<Sent> => {
    let request: Request;
    try {
      request = toRequest(r, ctx);
    } catch (e) {
      return { outcome: undefined, violations: [`the harness could not build this request: ${String(e)}`] };
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs)));
    try {
      const outcome = await Promise.race([options.fetch(request).then(outcomeOf), timeout]);
      return { outcome, violations: violations(outcome, r.method, documented.get(r.op)?.[outcome.status]) };
    } catch (e) {
      return { outcome: undefined, violations: [`the Worker threw instead of answering: ${String(e)}`] };
    } finally {
      clearTimeout(timer);
    }
  };

  const describe = (r: FuzzRequest, s: Sent) =>
    `  ${String(r[fc.toStringMethod]())}\n    → ${s.outcome ? `${s.outcome.status} ${abbreviate(s.outcome.text, 300)}` : "no response"}`;

  const property = async (batch: FuzzRequest[]) => {
    if (shrinking) {
      if (shrinkRuns >= shrinkBudget) return; // budget spent: keep the smallest counterexample so far
      shrinkRuns += 1;
      shrinkRequests += batch.length;
    } else {
      requests += batch.length;
    }
    const before = digests ? (baseline ??= await digests.take()) : undefined;
    const sent = await Promise.all(batch.map(send));
    // Each problem with a signature (operation and what went wrong), so a survey lists each kind once.
    const problems: { signature: string; text: string }[] = [];
    batch.forEach((r, i) => {
      const s = sent[i]!;
      if (!shrinking) {
        const status = s.outcome?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (!byOperation.has(r.op)) byOperation.set(r.op, new Map());
        const perOp = byOperation.get(r.op)!;
        perOp.set(status, (perOp.get(status) ?? 0) + 1);
      }
      if (s.violations.length) {
        const signature = `${r.op}: ${s.violations.join("; ").replace(/"[0-9a-f-]{36}"/g, "…")}`;
        problems.push({ signature, text: `${describe(r, s)}\n    ✗ ${s.violations.join("; ")}` });
      }
    });
    if (digests && before) {
      const after = await digests.take();
      baseline = after;
      const writers = new Set<string>();
      batch.forEach((r, i) => {
        // An accepted write, or a request whose outcome is unknown (no response): either may have written.
        const status = sent[i]!.outcome?.status;
        if (READ_ONLY.has(r.method) || (status !== undefined && (status < 200 || status > 299))) return;
        const home = ctx.callers[r.caller]!.home;
        for (const key of home === null ? digests.homeKeys : [digests.homeKeys[home]!]) writers.add(key);
        writers.add("global");
      });
      for (const key of [...digests.homeKeys, ...digests.bystanderKeys, "global"]) {
        if (writers.has(key) && !digests.bystanderKeys.includes(key)) continue;
        digestChecks += 1;
        const changed = changedTables(before, after, key);
        if (changed.length === 0) continue;
        const who = digests.bystanderKeys.includes(key) ? `bystander tenant ${key}` : key === "global" ? "global tables" : `tenant t${digests.homeKeys.indexOf(key)} (${key})`;
        problems.push({
          signature: `digest of ${changed.join(", ")}`,
          text: `  ✗ ${who} changed (${changed.join(", ")}) though no request of this batch by its members was an accepted write:\n` +
            batch.map((r, i) => describe(r, sent[i]!)).join("\n"),
        });
      }
    }
    if (problems.length === 0) return;
    if (!shrinking) failures += problems.length;
    if (options.keepGoing) {
      for (const p of problems) if (!surveyed.has(p.signature)) surveyed.set(p.signature, p.text);
      return;
    }
    shrinking = true;
    throw new Error(`${problems.length} violation(s):\n${problems.map((p) => p.text).join("\n")}`);
  };

  const byMode = (mode: "mixed" | "hostile") => fc.oneof(...options.operations.map((op) => requestArbitrary(ctx, op, mode)));
  const batches = fc.oneof(new BatchArbitrary(byMode("mixed"), options.batchSize), new BatchArbitrary(byMode("hostile"), options.batchSize));
  const details = await fc.check(fc.asyncProperty(batches, property), { seed, numRuns: options.runs, includeErrorInReport: true });

  const failed = details.failed || surveyed.size > 0;
  const summary = `fuzz: ${requests} requests over ${byOperation.size} operations, seed ${seed}, ${failures} failure${failures === 1 ? "" : "s"}` +
    `${shrinkRequests ? ` (+${shrinkRequests} requests shrinking)` : ""}; ${digestChecks} digest checks; ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`;
  return {
    seed,
    requests,
    shrinkRequests,
    operations: byOperation.size,
    statuses,
    byOperation,
    failures,
    digestChecks,
    durationMs: Date.now() - started,
    failed,
    message: details.failed ? fc.defaultReportMessage(details) : surveyed.size ? `${surveyed.size} distinct violations (seed ${seed}):\n${[...surveyed.values()].join("\n")}` : undefined,
    counterexample: details.counterexample?.[0],
    summary,
  };
}
