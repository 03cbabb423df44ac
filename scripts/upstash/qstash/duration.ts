// Durations as QStash writes them: "10s", "5m", "1h30m", "2d", "500ms" (a bare number means seconds).
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let part: RegExpExecArray | null;
  while ((part = re.exec(trimmed)) !== null) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
    matched = re.lastIndex;
  }
  return matched > 0 && matched === trimmed.length ? total : undefined;
}

/** A destination's Retry-After-style header: seconds, an HTTP date, or a duration. Returns ms from `now`. */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const asDuration = parseDuration(value);
  if (asDuration !== undefined) return asDuration;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
