// zod failures from any request part become one 400 problem listing every field path.
import type { Hook } from "@hono/zod-openapi";
import { ApiError } from "../../shared/errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (result.success) return;
  const fieldErrors = result.error.issues.map((issue) => ({
    path: [result.target === "json" ? "body" : result.target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new ApiError("bad_request", "the request does not match the schema", { fieldErrors });
};
