// Copies the API reference UI (Scalar's standalone bundle) into the Worker's static assets, so
// /docs works with no CDN. Run before `wrangler dev` and tests.
import { copyFile, mkdir, stat } from "node:fs/promises";
import { repoRoot } from "./paths.ts";

const source = `${repoRoot}node_modules/@scalar/api-reference/dist/browser/standalone.js`;
const target = `${repoRoot}public/vendor/scalar/standalone.js`;

export async function vendorAssets(): Promise<void> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => null)]);
  if (to && to.size === from.size) return;
  await mkdir(`${repoRoot}public/vendor/scalar`, { recursive: true });
  await copyFile(source, target);
}

if (import.meta.url === `file://${process.argv[1]}`) await vendorAssets();
