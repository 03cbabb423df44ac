// The throughput baseline for `npm run bench`: a Hono app with one JSON route and nothing else
// (no middleware, no database), run under `wrangler dev` exactly like the API Worker, so the
// ratio API / bare isolates what the API's request pipeline and its Postgres round trips cost.
import { Hono } from "hono";

const app = new Hono();
app.get("*", (c) => c.json({ ok: true }));

export default app;
