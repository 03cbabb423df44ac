// The isolation attack (see checker.ts): ≥ 10,000 requests generated from the OpenAPI document,
// two attacking tenants against a victim, in shards of one test file each: under the Workers
// test integration an isolate starts to hang requests after ~8,200 that use Postgres (GET
// /healthz alone shows it), and each test file gets its own isolate. Every shard sweeps its share
// of (operation × actor × variant) once, then fills its budget with random picks of all of them.
// Replay a shard with the seed it printed (shard k runs on seed + k - 1 internally):
//   VITE_ATTACK_SEED=<seed> npx vitest run --project worker tests/worker/attack
// (only VITE_-prefixed variables reach the Workers runtime; ATTACK_SEED works where the runner
// passes it through). VITE_ATTACK_REQUESTS changes the total budget.
import { describe, expect, it } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { seedWorld, settleInvitationEmails, TARGET_TABLES } from "../../support/world.ts";
import { runAttack } from "./checker.ts";
import { digest, idsByTable, tenantTables } from "./tables.ts";

const setting = (name: string) => process.env[name] ?? process.env[`VITE_${name}`];
const REQUESTS = Number(setting("ATTACK_REQUESTS") ?? 10_000);
const SEED = Number(setting("ATTACK_SEED") ?? Math.floor(Math.random() * 2 ** 31));

export function isolationShard(index: number, count: number) {
  const budget = Math.ceil(REQUESTS / count);
  describe(`tenant isolation under attack (shard ${index + 1} of ${count})`, () => {
    it(`${budget} requests aimed at another tenant, or refused by the matrix, cross nothing`, async () => {
      const world = await seedWorld({ attackers: 2 });
      // The victim has rows in every table a tenant owns, and objects of every addressable kind.
      const rows = await digest(world.victim.id);
      const empty = (await tenantTables()).filter((t) => rows[t]?.startsWith("0:"));
      expect(empty, "tables the world leaves empty (extend tests/support/world.ts)").toEqual([]);
      const pools = await idsByTable(world.victim.id);
      for (const table of TARGET_TABLES) expect(pools[table]?.length, table).toBeGreaterThan(1);

      let report;
      try {
        report = await runAttack(world, { seed: SEED, requests: budget, concurrency: 16, shard: { index, count } });
      } catch (e) {
        console.log(`isolation attack (shard ${index + 1}/${count}): seed ${SEED} failed before judging`);
        throw e;
      }
      const { requests, seconds, violations, byVariant } = report;
      console.log(
        `isolation attack (shard ${index + 1}/${count}): ${requests} requests, seed ${SEED}, ${violations.length} violations (${seconds.toFixed(1)} s; ${JSON.stringify(byVariant)})`,
      );
      const shown = violations.slice(0, 25).map((v) => `${v.rule} [${v.variant}] ${v.actor} ${v.request} → ${v.status} ${v.response}`);
      expect(shown, `seed ${SEED}: ${violations.length} violations`).toEqual([]);
      expect(requests).toBeGreaterThanOrEqual(budget);
      // The attackers' owners and admins may invite in their own tenants; the victim may not
      // change at all (runAttack's digests), so only their emails are settled.
      await settleInvitationEmails(world.attackers.map((t) => t.id));
      const due = await withAdmin((c) =>
        c.query<{ n: number }>("select count(*)::int as n from public.job_outbox where tenant_id = any($1) and published_at is null and not_before < now() + interval '7 days'", [world.tenants.map((t) => t.id)]),
      );
      expect(due.rows[0]!.n, "reminders the attack made due (other tests drain the outbox)").toBe(0);
    }, 600_000);
  });
}
