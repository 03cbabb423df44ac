// JSON log lines: one object per line, always with the request id and, once known, the tenant
// and user. Secrets never go through here: callers pass only what they mean to log.
import type { Logger } from "../../shared/db/tx.ts";

export function createLogger(base: () => Record<string, unknown>): Logger {
  return (level, msg, fields = {}) => {
    const line = JSON.stringify({ level, msg, ...base(), ...fields, time: new Date().toISOString() });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
