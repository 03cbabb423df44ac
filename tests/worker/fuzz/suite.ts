// Property-based fuzzing of every operation in the Worker's own OpenAPI document, in shards.
// Each shard sends 5,120 requests, 16 at a time, from its own tenants' members and from attackers;
// together (api-shard-*.test.ts) a run sends ≥ 10,000. Properties: no response is a 5xx (503,
// the documented "a dependency did not answer in time", is counted and must stay rare); every
// refusal is a problem+json from the closed error table whose status and requestId match the
// response; a batch in which no member of a tenant had a write accepted leaves that tenant's rows
// in every table byte-for-byte equal (the bystander tenant's, whose members never call, after
// every batch).
//
// Why shards: in the Workers test runtime, one test file (one isolate) stops getting Postgres
// connections through the HYPERDRIVE binding after about 8,300 of them (new ones hang until workerd
// cancels the request), and every authenticated /v1 request opens one.
//
// Settings (inside workerd only Vite's VITE_* variables arrive): VITE_FUZZ_SEED=<n> replays a
// shard's run, VITE_FUZZ_RUNS=<batches per shard> runs longer, VITE_FUZZ_KEEP_GOING=1 surveys
// (every distinct violation, no shrinking), VITE_FUZZ_VERBOSE=1 prints statuses per operation.
import { exports } from "cloudflare:workers";
import type { Client } from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { workerClient } from "../../../shared/db/client.ts";
import { closeGracefully } from "../../../shared/db/close.ts";
import { call } from "../../support/http.ts";
import { settleInvitationEmails } from "../../support/world.ts";
import { TableDigests } from "./digest.ts";
import { DEGRADED } from "./properties.ts";
import { operationsOf, type OperationRef } from "./requests.ts";
import { runFuzz } from "./runner.ts";
import type { OpenApiDoc } from "./schema.ts";
import { fuzzSeed, fuzzSetting } from "./settings.ts";
import { buildWorld, type World } from "./world.ts";

const BATCH = 16;
const RUNS = fuzzSetting("FUZZ_RUNS") ?? 320; // 320 × 16 = 5,120 requests per shard
const TENANTS = 4; // spreads the plan limit (6,000/min per tenant, half of it per member)

const worker = (exports as unknown as { default: { fetch: (r: Request) => Promise<Response> } }).default;

export function describeFuzzShard(shard: number, shards: number): void {
  describe(`fuzzing every operation of the OpenAPI document (shard ${shard}/${shards})`, () => {
    let operations: OperationRef[];
    let world: World;
    let admin: Client;

    beforeAll(async () => {
      const res = await call("/openapi.json");
      expect(res.status).toBe(200);
      const doc = (await res.json()) as OpenApiDoc;
      operations = operationsOf(doc);
      world = await buildWorld(doc, TENANTS);
      // One owner connection for the whole run: a digest per batch costs one statement.
      admin = workerClient({ connectionString: inject("adminUrl") });
      admin.on("error", () => undefined);
      await admin.connect();
    }, 60_000);

    afterAll(async () => {
      if (admin) await closeGracefully(admin);
      // The world's invitations and those the fuzzed owners sent queued emails due at once.
      if (world) await settleInvitationEmails(world.scope.tenantIds);
    });

    it(`${RUNS * BATCH} generated requests: no 5xx, only problem+json refusals from the error table, refusals change no table`, async () => {
      const digests = await TableDigests.prepare(admin);
      const report = await runFuzz({
        fetch: (request) => worker.fetch(request),
        ctx: world.ctx,
        operations,
        runs: RUNS,
        batchSize: BATCH,
        seed: fuzzSeed(),
        keepGoing: fuzzSetting("FUZZ_KEEP_GOING") === 1,
        digests: {
          take: () => digests.take(admin, world.scope),
          homeKeys: world.tenants.map((t) => t.id),
          bystanderKeys: [world.bystander.id],
        },
      });
      console.log(`${report.summary.replace(/^fuzz:/, `fuzz (shard ${shard}/${shards}):`)}\n  replay: VITE_FUZZ_SEED=${report.seed} npx vitest run --project worker tests/worker/fuzz/api-shard-${shard}.test.ts`);
      if (fuzzSetting("FUZZ_VERBOSE")) for (const [op, st] of report.byOperation) console.log(`  ${op}: ${JSON.stringify(Object.fromEntries(st))}`);

      expect(report.failed, report.message).toBe(false);
      expect(report.requests).toBeGreaterThanOrEqual(RUNS * BATCH);
      expect(report.operations, "every operation of the document was fuzzed").toBe(operations.length);
      expect(digests.tables.length, "the digests cover the tables").toBeGreaterThanOrEqual(15);
      expect(report.digestChecks, "enough batches were clean for some tenant to compare digests").toBeGreaterThan(RUNS);
      const share = (status: number) => (report.statuses.get(status) ?? 0) / report.requests;
      expect(share(429), "429s should be rare: spread the requests over more members or tenants").toBeLessThan(0.05);
      expect(share(DEGRADED), "503s (a dependency timing out) should be rare").toBeLessThan(0.01);
    }, 900_000);
  });
}
