// Parses the bindings with zod before anything else runs. A bad configuration fails closed: the
// request gets a plain 500 problem and the log names what is wrong (never the values).
import type { MiddlewareHandler } from "hono";
import { parseEnv } from "../../../shared/env.ts";
import { ApiError } from "../../../shared/errors.ts";
import type { AppConfig } from "../../types.ts";

export function env(): MiddlewareHandler<AppConfig> {
  return async function env(c, next) {
    const parsed = parseEnv(c.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      c.var.log("error", "invalid environment; refusing to serve", { problems });
      throw new ApiError("internal");
    }
    c.set("env", parsed.data);
    await next();
  };
}
