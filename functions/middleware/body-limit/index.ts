// Refuses request bodies over 1 MB before anything reads them.
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { ApiError } from "../../../shared/errors.ts";
import type { AppConfig } from "../../types.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export function bodyLimit(): MiddlewareHandler<AppConfig> {
  return honoBodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large", `the limit is ${MAX_BODY_BYTES} bytes`);
    },
  });
}
