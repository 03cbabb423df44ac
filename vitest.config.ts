// Two test projects over one real stack, started once by tests/support/global-setup.ts:
// - "worker": requests through the Worker in workerd (the vitest Workers integration), with a
//   Hyperdrive binding to the ephemeral Postgres and the real migrations and RLS;
// - "node": what runs beside the Worker: catalog and SQL policy tests, local stand-ins, scripts.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const globalSetup = ["./tests/support/global-setup.ts"];

// Miniflare would fetch Request.cf data from the internet at start; tests run offline.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

export default defineConfig({
  test: {
    reporters: process.env.CI ? ["default"] : ["default"],
    // Two test files at a time, also on two cores: a file spends most of its time waiting (its
    // isolate's start, requests through Postgres and the stand-ins), so a second one fills the gaps.
    // Files never share data (each seeds its own tenants), so order and overlap do not matter.
    maxWorkers: 2,
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              hyperdrives: { HYPERDRIVE: inject<string>("databaseUrl") },
              bindings: inject<Record<string, string>>("workerBindings"),
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["tests/worker/**/*.test.ts"],
          globalSetup,
          setupFiles: ["./tests/support/warm-worker.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["tests/node/**/*.test.ts"],
          globalSetup,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
