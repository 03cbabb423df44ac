// Standard 5-field cron (minute hour day-of-month month day-of-week) as QStash accepts it:
// `*`, lists, ranges, steps, month/day names, @hourly-style macros, and an optional
// `CRON_TZ=Area/City ` prefix (UTC otherwise). Like Vixie cron, when both day fields are
// restricted a time matches if EITHER does.

export interface Cron {
  readonly source: string;
  readonly timeZone: string;
  /** The first minute strictly after `afterMs` that matches, or undefined if none within 5 years. */
  next(afterMs: number): number | undefined;
  matches(ms: number): boolean;
}

interface Field {
  allowed: boolean[];
  /** False when the field starts with `*` (matters for the day-of-month/day-of-week rule). */
  restricted: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MINUTE = 60_000;
const SEARCH_LIMIT_MS = 5 * 366 * 24 * 60 * MINUTE;

export function parseCron(expression: string): Cron {
  let text = expression.trim();
  let timeZone = "UTC";
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    timeZone = tz[1]!;
    text = text.slice(tz[0].length);
  }
  text = MACROS[text.toLowerCase()] ?? text;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`invalid cron ${JSON.stringify(expression)}: expected 5 fields (minute hour day month weekday)`);
  const [minute, hour, dom, month, dow] = [
    parseField(parts[0]!, 0, 59, [], "minute"),
    parseField(parts[1]!, 0, 23, [], "hour"),
    parseField(parts[2]!, 1, 31, [], "day of month"),
    parseField(parts[3]!, 1, 12, MONTHS, "month"),
    parseField(parts[4]!, 0, 7, DAYS, "day of week"),
  ];
  if (dow.allowed[7]) dow.allowed[0] = true; // 7 is Sunday too
  const fieldsAt = localFields(timeZone);

  const dayMatches = (f: LocalFields) => {
    const byDom = dom.allowed[f.day]!;
    const byDow = dow.allowed[f.weekday]!;
    return dom.restricted && dow.restricted ? byDom || byDow : byDom && byDow;
  };
  const matches = (ms: number) => {
    const f = fieldsAt(ms);
    return month.allowed[f.month]! && dayMatches(f) && hour.allowed[f.hour]! && minute.allowed[f.minute]!;
  };
  const next = (afterMs: number) => {
    let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
    const limit = t + SEARCH_LIMIT_MS;
    while (t < limit) {
      const f = fieldsAt(t);
      if (!month.allowed[f.month] || !dayMatches(f) || !hour.allowed[f.hour]) {
        // Nothing in this local hour can match: jump to the next hour boundary (DST-safe).
        t += (60 - f.minute) * MINUTE;
      } else if (!minute.allowed[f.minute]) {
        t += MINUTE;
      } else {
        return t;
      }
    }
    return undefined;
  };
  return { source: expression, timeZone, next, matches };
}

function parseField(text: string, min: number, max: number, names: string[], label: string): Field {
  const allowed = new Array<boolean>(max + 1).fill(false);
  const fail = (): never => {
    throw new Error(`invalid cron ${label} field ${JSON.stringify(text)}`);
  };
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    if (named !== -1) return named + (names === MONTHS ? 1 : 0);
    if (!/^\d+$/.test(token)) fail();
    const n = Number(token);
    if (n < min || n > max) fail();
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (range === undefined || range === "" || extra !== undefined) fail();
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail();
    let from: number;
    let to: number;
    if (range === "*") {
      [from, to] = [min, names === DAYS ? 6 : max];
    } else if (range!.includes("-")) {
      const [a, b] = range!.split("-");
      [from, to] = [value(a ?? ""), value(b ?? "")];
      if (from > to) fail();
    } else {
      from = value(range!);
      to = stepText === undefined ? from : names === DAYS ? 6 : max; // "5/15" = from 5 every 15
    }
    for (let v = from; v <= to; v += step) allowed[v] = true;
  }
  return { allowed, restricted: !text.startsWith("*") };
}

interface LocalFields {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

function localFields(timeZone: string): (ms: number) => LocalFields {
  if (timeZone === "UTC") {
    return (ms) => {
      const d = new Date(ms);
      return { minute: d.getUTCMinutes(), hour: d.getUTCHours(), day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", weekday: "short",
    });
  } catch {
    throw new Error(`invalid cron time zone ${JSON.stringify(timeZone)}`);
  }
  return (ms) => {
    const f: LocalFields = { minute: 0, hour: 0, day: 1, month: 1, weekday: 0 };
    for (const part of format.formatToParts(ms)) {
      if (part.type === "minute") f.minute = Number(part.value);
      else if (part.type === "hour") f.hour = Number(part.value);
      else if (part.type === "day") f.day = Number(part.value);
      else if (part.type === "month") f.month = Number(part.value);
      else if (part.type === "weekday") f.weekday = DAYS.indexOf(part.value.toUpperCase());
    }
    return f;
  };
}
