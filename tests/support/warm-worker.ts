// Runs before each Worker test file: its first request starts the file's isolate (loading every
// module) and opens the first pooled connection, which takes up to 20 s on a loaded two-core
// machine. Paid here, once per file under a hook timeout, not by whichever test happens to come first.
import { beforeAll } from "vitest";
import { call } from "./http.ts";

beforeAll(async () => {
  const res = await call("/healthz");
  if (res.status !== 200) throw new Error(`the Worker is not healthy before the tests: ${res.status} ${await res.text()}`);
}, 90_000);
