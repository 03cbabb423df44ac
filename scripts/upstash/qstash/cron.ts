// Standard 5-field cron (minute hour day-of-month month day-of-week) as QStash accepts it, parsed
// and stepped by croner, plus an optional `CRON_TZ=Area/City ` prefix (UTC otherwise). Like Vixie
// cron, when both day fields are restricted a time matches if EITHER does (croner's default).
import { Cron as Croner } from "croner";

export interface Cron {
  readonly source: string;
  readonly timeZone: string;
  /** The first minute strictly after `afterMs` that matches, or undefined if none ever will. */
  next(afterMs: number): number | undefined;
}

export function parseCron(expression: string): Cron {
  let text = expression.trim();
  let timeZone = "UTC";
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    timeZone = tz[1]!;
    text = text.slice(tz[0].length);
  }
  // croner only reports an unknown zone when it first computes a date: check it up front.
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new Error(`invalid cron time zone ${JSON.stringify(timeZone)}`);
  }
  let job: Croner;
  try {
    // sloppyRanges: accept "5/20" (from 5, every 20), which cron implementations QStash mirrors allow.
    job = new Croner(text, { timezone: timeZone, mode: "5-part", sloppyRanges: true, paused: true });
  } catch (error) {
    throw new Error(`invalid cron ${JSON.stringify(expression)}: ${(error as Error).message}`, { cause: error });
  }
  const next = (afterMs: number) => {
    let run = job.nextRun(new Date(afterMs));
    // croner moves a local time that a DST jump removes to the next valid instant; cron skips it.
    while (run && !job.match(run)) run = job.nextRun(run);
    return run?.getTime();
  };
  return { source: expression, timeZone, next };
}
