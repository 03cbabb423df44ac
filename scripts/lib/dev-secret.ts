// The local HS256 signing secret: generated once per checkout, kept in .data/, never committed.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dataDir, devSecretFile } from "./paths.ts";

export async function devSecret(): Promise<string> {
  if (existsSync(devSecretFile)) return (await readFile(devSecretFile, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(devSecretFile, `${secret}\n`, { mode: 0o600 });
  return secret;
}
