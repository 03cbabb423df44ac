// Headers added once the response exists. Hono's c.header() then re-creates the Response on every
// call (`new Response(res.body, res)`), so that it also works on immutable headers (a fetch()
// result). Responses here are built by c.json/c.body/c.html, whose headers are mutable: set them
// in place, and copy (c.header(), once per header) only when they are not.
import type { Context } from "hono";

export function setResponseHeaders(c: Context, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  }
}
