// One transaction per request, written to Postgres in one flight.
//
// A Worker opens a fresh connection per request (Hyperdrive pools the real ones), so nothing may
// rely on statements prepared earlier. pg in pipeline mode writes `begin`, the request settings
// (exactly as PostgREST sets them), the tenant guard, the handler's statements and `commit`
// without waiting between them: a steady-state request costs one round trip.
//
// The contract that makes this work: a handler issues all its statements synchronously (an
// array of promises, a CTE, or one statement). A statement issued after `commit` was queued is a
// programming error and throws. Anything that must roll back the transaction is decided in SQL
// (a constraint, a policy, a raise), because by the time JS sees a result, commit is on the wire.
//
// Soft deletes under RLS: Postgres checks an UPDATE's new row against the SELECT policy whenever
// the UPDATE reads columns (WHERE or RETURNING), so a policy that hides deleted rows must let the
// deleting transaction see its own deletion (see the tasks and notes select policies).
import { types, type Client } from "pg";
import { workerClient } from "./client.ts";
import { closeGracefully } from "./close.ts";
import { isAbortedTransaction, toApiError } from "./errors.ts";

export interface Queue {
  /** Queues a statement in the transaction's flight and resolves to its rows. */
  rows<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Like rows(), resolving to the first row (or undefined). */
  one<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T | undefined>;
}

export interface TxContext {
  /** The verified token's claims, as PostgREST passes them to RLS (request.jwt.claims). */
  claims: Record<string, unknown>;
  requestId: string;
  /** Present on tenant-scoped routes: the guard pipelined first (membership, host, staff/portal). */
  tenantGuard?: { hostSlug: string | null; customHost: string | null; audience: "staff" | "portal" | "any" };
  /**
   * `authenticated` for requests; `office_jobs` for signed job deliveries (narrow definer functions
   * only); `office_scim` for SCIM requests (the directory tables, keyed on the SCIM token's tenant).
   */
  role?: "authenticated" | "office_jobs" | "office_scim";
  /** Present on POSTs with an Idempotency-Key: claim first, store the response before commit. */
  idempotency?: { scope: "tenant" | "user"; key: string; hash: string };
}

export interface Logger {
  (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>): void;
}

// Timestamps leave as ISO 8601 strings and dates as YYYY-MM-DD, exactly what the API schemas say.
const TIMESTAMP_OIDS = new Set([1114, 1184]);
const DATE_OID = 1082;
const typeParsers = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (TIMESTAMP_OIDS.has(oid)) {
      const parse = types.getTypeParser(oid, "text") as (v: string) => Date;
      return (v: string) => parse(v).toISOString();
    }
    if (oid === DATE_OID) return (v: string) => v;
    return types.getTypeParser(oid, format ?? "text");
  }) as typeof types.getTypeParser,
};

const SETTINGS =
  "select set_config('role', $3, true), set_config('request.jwt.claims', $1, true), set_config('request.id', $2, true)";

export class RequestDb {
  #client: Client | undefined;
  #connecting: Promise<Client> | undefined;
  #state: "idle" | "open" | "held" | "done" = "idle";
  #closing = false;

  constructor(
    private readonly connectionString: string,
    private ctx: TxContext,
    private readonly waitUntil: (p: Promise<unknown>) => void,
    private readonly log: Logger,
  ) {}

  /** Middleware adds the tenant guard and the idempotency claim before the handler runs. */
  configure(extra: Partial<TxContext>): void {
    if (this.#state !== "idle") throw new Error("configure the transaction before it starts");
    this.ctx = { ...this.ctx, ...extra };
  }

  /**
   * Starts opening the connection now, so it overlaps the limiter's Redis round trip; nothing is
   * sent on it until tx(). A request refused meanwhile just closes it, having done no work.
   */
  warm(): void {
    if (this.#connecting || this.#state !== "idle") return;
    this.#connecting = this.#connect();
    this.#connecting.catch(() => undefined);
  }

  /** Runs fn's statements in this request's one transaction (one flight; see the file comment). */
  async tx<T>(fn: (q: Queue) => Promise<T>): Promise<T> {
    if (this.#state !== "idle") throw new Error("db.tx may run once per request");
    this.#state = "open";
    let client: Client;
    try {
      client = await (this.#connecting ?? (this.#connecting = this.#connect()));
    } catch (e) {
      this.#state = "done";
      throw e;
    }
    const held = !!this.ctx.idempotency;
    const queued: Promise<unknown>[] = [];
    const send = (text: string, values?: unknown[]) => {
      if (this.#state !== "open" && !(held && this.#state === "held")) {
        throw new Error("statement issued after the transaction's flight was closed");
      }
      const p = client.query(text, values);
      p.catch(() => undefined); // observed below, in order
      queued.push(p);
      return p;
    };

    // `void`: these statements' outcomes are read from `queued` below, not from their promises.
    void send("begin");
    void send(SETTINGS, [JSON.stringify(this.ctx.claims), this.ctx.requestId, this.ctx.role ?? "authenticated"]);
    if (this.ctx.tenantGuard) {
      const { hostSlug, customHost, audience } = this.ctx.tenantGuard;
      void send("select private.enter_tenant($1, $2, $3)", [hostSlug, customHost, audience]);
    }
    if (this.ctx.idempotency) {
      const { scope, key, hash } = this.ctx.idempotency;
      void send("select private.idempotency_claim($1, $2, $3)", [scope, key, hash]);
    }
    const queue: Queue = {
      rows: (text, values) => send(text, values).then((r) => r.rows),
      one: (text, values) => send(text, values).then((r) => r.rows[0]),
    };
    let result: Promise<T>;
    try {
      result = fn(queue);
    } catch (e) {
      result = Promise.reject(e);
    }
    result.catch(() => undefined);

    if (held) {
      this.#state = "held";
    } else {
      void send("commit");
      this.#state = "done";
    }

    const [outcome] = await Promise.allSettled([result]);
    const statements = await Promise.allSettled(queued);
    const dbError = firstRootCause(statements);
    if (dbError || outcome.status === "rejected") {
      if (held) await this.#rollback();
      this.#release();
      throw toApiError(dbError ?? (outcome as PromiseRejectedResult).reason);
    }
    if (!held) this.#release();
    return (outcome as PromiseFulfilledResult<T>).value;
  }

  /** Second flight of an Idempotency-Key request: store the response (its JSON text) and commit. */
  async commitWithResponse(status: number, bodyJson: string): Promise<void> {
    if (this.#state !== "held" || !this.#client || !this.ctx.idempotency) return;
    const { scope, key } = this.ctx.idempotency;
    this.#state = "done";
    const client = this.#client;
    const statements = await Promise.allSettled([
      client.query("select private.idempotency_store($1, $2, $3, $4)", [scope, key, status, bodyJson]),
      client.query("commit"),
    ]);
    this.#release();
    const dbError = firstRootCause(statements);
    if (dbError) throw toApiError(dbError);
  }

  /** Called once the response is known: rolls back anything still open, then closes. */
  async finish(): Promise<void> {
    if (this.#state === "held") await this.#rollback();
    this.#release();
  }

  get used(): boolean {
    return this.#state !== "idle";
  }

  async #connect(): Promise<Client> {
    const client = workerClient({ connectionString: this.connectionString, pipeline: true, types: typeParsers });
    client.on("error", (e) => {
      if (!this.#closing) this.log("warn", "postgres connection error", { error: String(e) });
    });
    this.#client = client;
    try {
      await client.connect();
    } catch (e) {
      this.log("error", "postgres connect failed", { error: String(e) });
      throw toApiError(e);
    }
    return client;
  }

  async #rollback(): Promise<void> {
    this.#state = "done";
    await this.#client?.query("rollback").catch(() => undefined);
  }

  #release(): void {
    if (!this.#connecting || this.#closing) return;
    this.#closing = true;
    // A connection still opening (warmed, then the request was refused) is closed once it is up.
    this.waitUntil(this.#connecting.then((client) => closeGracefully(client), () => undefined));
  }

}

/** The first statement that failed; the ones after it only report the aborted transaction. */
function firstRootCause(results: PromiseSettledResult<unknown>[]): unknown {
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
  return failures.find((e) => !isAbortedTransaction(e)) ?? failures[0];
}
