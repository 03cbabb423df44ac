// JSON log lines: one object per line, always with the request id and, once known, the tenant
// and user. Secrets never go through here: callers pass only what they mean to log.
import type { Logger } from "../../shared/db/tx.ts";

const rank = { info: 0, warn: 1, error: 2 } as const;
export type LogLevel = keyof typeof rank;
export const isLogLevel = (v: unknown): v is LogLevel => typeof v === "string" && Object.hasOwn(rank, v);

export function createLogger(base: () => Record<string, unknown>, minLevel: LogLevel = "info"): Logger {
  return (level, msg, fields = {}) => {
    if (rank[level] < rank[minLevel]) return;
    const line = JSON.stringify({ level, msg, ...base(), ...fields, time: new Date().toISOString() });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
}
