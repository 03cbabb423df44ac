// `wrangler deploy --env production` ships everything it serves: a dry run (no network, no
// account) runs wrangler.toml's [build] command, bundles the Worker and reads the [assets]
// directory exactly as a real deploy would, then stops before uploading. The Worker must fit the
// Workers script size limit (compressed: 10 MiB on the paid plan, 3 MiB on the free plan).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = `${root}node_modules/.bin`;
const MiB = 1024 * 1024;
const PAID_LIMIT = 10 * MiB;
const FREE_LIMIT = 3 * MiB;
const ASSET_FILE_LIMIT = 25 * MiB; // per static asset file
const SCALAR = "vendor/scalar/standalone.js";

let outdir: string;
let output: string;

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), "ai-office-deploy-"));
  const { stdout, stderr } = await promisify(execFile)(`${bin}/wrangler`, ["deploy", "--dry-run", "--outdir", outdir, "--env", "production"], {
    cwd: root,
    // What npm scripts give wrangler: node_modules/.bin (Node 22) first on PATH, which is also
    // what the [build] command's `node` resolves through.
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_HIDE_BANNER: "true", // the banner carries an npm update check
      WRANGLER_LOG: "debug", // lists every file read from the assets directory
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    },
    timeout: 50_000,
    maxBuffer: 16 * MiB,
  });
  output = `${stdout}\n${stderr}`;
}, 60_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe("wrangler deploy --dry-run --env production", () => {
  it("runs the [build] command, which puts the API reference UI into the assets directory", async () => {
    expect(output).toContain("[custom build] Running: node scripts/lib/vendor-assets.ts");
    const [built, source] = await Promise.all([
      stat(`${root}public/${SCALAR}`),
      stat(`${root}node_modules/@scalar/api-reference/dist/browser/standalone.js`),
    ]);
    expect(built.size).toBe(source.size);
    expect(built.size).toBeLessThan(ASSET_FILE_LIMIT);
  });

  it("deploys the docs assets with the Worker", () => {
    expect(output).toMatch(/Read \d+ files? from the assets directory .*public/);
    // (wrangler counts the directories it walked too; at debug level it lists each entry.)
    expect(output.split("\n").map((l) => l.trim())).toEqual(expect.arrayContaining([`/${SCALAR}`, "/robots.txt"]));
  });

  it("targets production: its vars and Hyperdrive binding", () => {
    expect(output).toContain('env.ENVIRONMENT ("production")');
    expect(output).toMatch(/env\.HYPERDRIVE \(YOUR-HYPERDRIVE-ID\)/);
    expect(output).not.toContain("127.0.0.1");
  });

  it("bundles the Worker, within the Workers script size limit", async () => {
    const files = await readdir(outdir);
    expect(files).toContain("index.js"); // main = functions/index.ts
    const modules = files.filter((f) => /\.(m?js|wasm)$/.test(f));
    const contents = await Promise.all(modules.map((f) => readFile(join(outdir, f))));
    const main = contents[modules.indexOf("index.js")]!.toString("utf8");
    for (const route of ["/v1/me", "/v1/members", "/healthz", "/openapi.json", "/docs", "/hooks/qstash/"]) expect(main).toContain(route);
    expect(main).toContain(`/${SCALAR}`);

    const raw = contents.reduce((n, c) => n + c.length, 0);
    const gzip = contents.reduce((n, c) => n + gzipSync(c).length, 0);
    const mib = (n: number) => (n / MiB).toFixed(2);
    console.log(
      `worker bundle: ${mib(raw)} MiB raw, ${mib(gzip)} MiB gzip (limit 10 MiB paid / 3 MiB free; ` +
        `${((gzip / PAID_LIMIT) * 100).toFixed(1)}% / ${((gzip / FREE_LIMIT) * 100).toFixed(1)}%)`,
    );
    expect(gzip).toBeLessThan(PAID_LIMIT);
    if (gzip >= FREE_LIMIT) console.warn(`worker bundle: over the free plan's 3 MiB compressed limit`);

    // wrangler's own figure agrees: "Total Upload: <raw> KiB / gzip: <gzip> KiB".
    const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
    expect(total, "wrangler printed its upload size").not.toBeNull();
    expect(Number(total![2]) * 1024).toBeLessThan(PAID_LIMIT);
    expect(Math.abs(Number(total![2]) * 1024 - gzip) / gzip).toBeLessThan(0.1);
  });
});
