// The QStash stand-in's cron parsing (croner; standard 5 fields, CRON_TZ) and delay/backoff parsing:
// schedules only fire correctly in conformance tests if these are exact.
import { describe, expect, it } from "vitest";
import { parseCron } from "../../../scripts/upstash/qstash/cron.ts";
import { parseDuration } from "../../../scripts/upstash/qstash/duration.ts";
import { defaultBackoffMs, evaluateRetryDelay } from "../../../scripts/upstash/qstash/retry-delay.ts";

const from = Date.UTC(2026, 0, 1, 0, 0, 30); // Thursday 2026-01-01 00:00:30 UTC
const next = (expression: string, after = from) => {
  const t = parseCron(expression).next(after);
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe("cron", () => {
  it.each([
    ["* * * * *", "2026-01-01T00:01:00.000Z"],
    ["*/15 * * * *", "2026-01-01T00:15:00.000Z"],
    ["5/20 * * * *", "2026-01-01T00:05:00.000Z"],
    ["10-12,40 3 * * *", "2026-01-01T03:10:00.000Z"],
    ["0 9 * * 1-5", "2026-01-01T09:00:00.000Z"],
    ["0 0 * * SUN", "2026-01-04T00:00:00.000Z"],
    ["0 0 * * 7", "2026-01-04T00:00:00.000Z"],
    ["0 12 * JAN,jul 6", "2026-01-03T12:00:00.000Z"],
    ["0 0 13 * 5", "2026-01-02T00:00:00.000Z"], // day-of-month OR day-of-week, like Vixie cron
    ["0 0 29 2 *", "2028-02-29T00:00:00.000Z"],
    ["@hourly", "2026-01-01T01:00:00.000Z"],
    ["CRON_TZ=America/New_York 0 8 * * *", "2026-01-01T13:00:00.000Z"],
    ["CRON_TZ=Asia/Kolkata 0 0 * * *", "2026-01-01T18:30:00.000Z"],
  ])("%s → %s", (expression, expected) => {
    expect(next(expression)).toBe(expected);
  });

  it("skips a local time that DST removes, and never matches an impossible date", () => {
    expect(next("CRON_TZ=Europe/Berlin 30 2 * * *", Date.UTC(2026, 2, 28, 12))).toBe("2026-03-30T00:30:00.000Z");
    expect(next("0 0 30 2 *")).toBeUndefined();
  });

  it("fires once when DST repeats a local time", () => {
    const after = Date.UTC(2026, 9, 24, 12); // Berlin leaves summer time on 2026-10-25 at 03:00
    expect(next("CRON_TZ=Europe/Berlin 30 2 * * *", after)).toBe("2026-10-25T00:30:00.000Z");
    expect(next("CRON_TZ=Europe/Berlin 30 2 * * *", Date.UTC(2026, 9, 25, 0, 30))).toBe("2026-10-26T01:30:00.000Z");
  });

  it.each(["* * * *", "60 * * * *", "*/0 * * * *", "5-1 * * * *", "* * * 13 *", "CRON_TZ=Nowhere/City * * * * *"])("rejects %s", (expression) => {
    expect(() => parseCron(expression)).toThrow(/invalid cron/);
  });
});

describe("durations and backoff", () => {
  it("parses Upstash-Delay forms", () => {
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("45")).toBe(45_000);
    expect(parseDuration("soon")).toBeUndefined();
  });

  it("follows Upstash's default curve and evaluates retry-delay expressions", () => {
    expect(Math.round(defaultBackoffMs(1) / 1000)).toBe(12);
    expect(Math.round(defaultBackoffMs(2) / 1000)).toBe(148);
    expect(defaultBackoffMs(10)).toBe(86_400_000);
    expect(evaluateRetryDelay("pow(2, retried) * 1000", 3)).toBe(8000);
    expect(evaluateRetryDelay("max(1000, pow(2, retried) * 100)", 1)).toBe(1000);
    expect(() => evaluateRetryDelay("process.exit()", 0)).toThrow();
  });
});
