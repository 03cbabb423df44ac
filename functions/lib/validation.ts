// The schema edge of every route: zod failures from any request part become one 400 problem
// listing every field path, and a valid value holding a NUL character anywhere is refused the
// same way (Postgres text cannot hold \u0000; it must never get as far as a 500).
import type { Hook } from "@hono/zod-openapi";
import type { Context, Env } from "hono";
import type { AppConfig } from "../types.ts";
import { ApiError, type FieldError } from "../../shared/errors.ts";

const partName = (target: string) => (target === "json" ? "body" : target);

/** Paths (within one request part) of every string that holds a NUL, keys included. */
export function nulPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [path.join(".")] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulPaths(v, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k.includes("\u0000") ? [[...path, k].join(".")] : nulPaths(v, [...path, k])));
  }
  return [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  const part = partName(result.target);
  let fieldErrors: FieldError[];
  if (result.success) {
    fieldErrors = nulPaths(result.data).map((p) => ({ path: [part, p].filter(Boolean).join("."), message: "must not contain the NUL character (\\u0000)" }));
    if (fieldErrors.length === 0) return;
  } else {
    fieldErrors = result.error.issues.map((issue) => ({ path: [part, ...issue.path.map(String)].join("."), message: issue.message }));
  }
  throw new ApiError("bad_request", "the request does not match the schema", { fieldErrors });
};

/**
 * For routes whose access is a permission: a request that fails validation is first asked (in
 * its one transaction, one round trip) whether the caller may use the route at all, so someone
 * without the permission gets 403, never a hint about the parameters. `allowedSql` is a
 * statement answering one boolean column `allowed`.
 */
export function permissionFirst<T, E extends Env, P extends string, R>(allowedSql: string, forbidden: string): Hook<T, E, P, R> {
  return (async (result: Parameters<typeof validationHook>[0], ctx: Context) => {
    const c = ctx as unknown as Context<AppConfig>;
    if (!result.success || nulPaths(result.data).length > 0) {
      const row = await c.var.db.tx((q) => q.one<{ allowed: boolean }>(allowedSql)).catch((e: unknown) => {
        if (e instanceof ApiError) throw e;
        throw new ApiError("internal", undefined, { cause: e });
      });
      if (!row?.allowed) throw new ApiError("forbidden", forbidden);
    }
    return validationHook(result, ctx);
  }) as unknown as Hook<T, E, P, R>;
}
