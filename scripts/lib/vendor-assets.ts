// Copies the API reference UI (Scalar's standalone bundle) into the Worker's static assets, so
// /docs works with no CDN. public/vendor/ is gitignored: this runs as wrangler.toml's [build]
// command (every `wrangler dev` and `wrangler deploy`), before tests (`pretest`), from
// scripts/dev.ts, and as `npm run build:assets`.
import { copyFile, mkdir, rename, stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.ts";

const source = `${repoRoot}node_modules/@scalar/api-reference/dist/browser/standalone.js`;
const targetDir = `${repoRoot}public/vendor/scalar`;
const target = `${targetDir}/standalone.js`;

/** Copies the script unless an up-to-date copy is there; resolves true when it copied. */
export async function vendorAssets(): Promise<boolean> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => null)]);
  if (to && to.size === from.size && to.mtimeMs >= from.mtimeMs) return false;
  await mkdir(targetDir, { recursive: true });
  // Copy beside the target and rename over it: a test or `wrangler dev` reading the asset
  // concurrently sees the old file or the new one, never half of one.
  const partial = `${target}.${process.pid}.partial`;
  await copyFile(source, partial);
  await rename(partial, target);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (await vendorAssets()) console.log(`vendor assets: copied @scalar/api-reference's standalone.js to public/vendor/scalar/`);
}
