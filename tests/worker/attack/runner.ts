// Sends the attack's requests, `concurrency` at a time, counts them by variant and records
// violations. A request that gets no response at all (the runtime gave up on it) is recorded too,
// and the first one is logged with what was in flight at that moment.
import { describeReq, send, type Req, type Res } from "./requests.ts";

export interface Violation {
  rule: string;
  variant: string;
  actor: string;
  request: string;
  status: number;
  response: string;
}

export class Runner {
  readonly violations: Violation[] = [];
  readonly byVariant: Record<string, number> = {};
  /** Requests the rate limiter refused to judge (503 unavailable: it could not answer in time). */
  readonly unavailable: Req[] = [];
  requests = 0;
  readonly #started = Date.now();
  readonly #inFlight = new Set<string>();
  #silent = false;

  constructor(private readonly concurrency: number) {}

  get seconds(): number {
    return (Date.now() - this.#started) / 1000;
  }

  record(rule: string, variant: string, req?: Req, res?: Res): void {
    if (res?.status === 0 && !this.#silent) {
      this.#silent = true;
      console.log(`isolation attack: first request without a response after ${this.requests} requests, ${this.seconds.toFixed(1)} s: ${res.text}`);
      console.log(`isolation attack: in flight then:\n${[...this.#inFlight].join("\n")}`);
    }
    this.violations.push({
      rule,
      variant,
      actor: req ? `${req.actor.name}@${req.actor.tenantId}` : "-",
      request: req ? describeReq(req) : "-",
      status: res?.status ?? 0,
      response: res?.text.slice(0, 300) ?? "",
    });
  }

  async send(variant: string, req: Req): Promise<Res> {
    const label = `${variant} ${req.actor.name} ${describeReq(req)}`;
    this.#inFlight.add(label);
    const res = await send(req);
    this.#inFlight.delete(label);
    this.requests++;
    this.byVariant[variant] = (this.byVariant[variant] ?? 0) + 1;
    return res;
  }

  /** Runs fn over items, `concurrency` at a time. */
  async run<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: this.concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }));
  }
}
