// Proves the proxy's counter before the bench trusts it: the same four statements (begin,
// set_config($1), select, commit) through the proxy with the delay on, once awaited one by one
// (must count 4 query round trips) and once pipelined by node's pg (must count 1).
import pg from "pg";
import type { PgProxy } from "./pg-proxy.ts";

export interface SelfCheck {
  sequential: number;
  pipelined: number;
  startup: number;
  /** How the server authenticated the connection, from its Authentication requests. */
  auth: string;
  ok: boolean;
}

export async function selfCheck(proxy: PgProxy, databaseUrl: string, delayMs: number): Promise<SelfCheck> {
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  const statements: [string, unknown[]?][] = [["begin"], ["select set_config('request.id', $1, true)", ["bench"]], ["select 1"], ["commit"]];

  const run = async (pipeline: boolean) => {
    await proxy.waitIdle();
    proxy.reset();
    proxy.setDelay({ delayMs, delayStartup: true });
    const client = new pg.Client({ connectionString: url.toString(), pipeline } as pg.ClientConfig);
    client.on("error", () => undefined);
    await client.connect();
    try {
      if (pipeline) await Promise.all(statements.map(([text, values]) => client.query(text, values)));
      else for (const [text, values] of statements) await client.query(text, values);
    } finally {
      await client.end();
    }
    proxy.setDelay({ delayMs: 0, delayStartup: true });
    await proxy.waitIdle();
    const [conn] = proxy.connections();
    return { query: conn?.queryRoundTrips ?? NaN, startup: conn?.startupFlights ?? NaN, auth: authName(conn?.authCodes ?? []) };
  };

  const sequential = await run(false);
  const pipelined = await run(true);
  proxy.reset();
  return {
    sequential: sequential.query,
    pipelined: pipelined.query,
    startup: pipelined.startup,
    auth: pipelined.auth,
    ok: sequential.query === 4 && pipelined.query === 1,
  };
}

/** AuthenticationXXX request codes (protocol docs, "Message Formats"), 0 = AuthenticationOk. */
function authName(codes: number[]): string {
  const names: Record<number, string> = { 3: "cleartext password", 5: "md5 password", 10: "SASL (SCRAM)" };
  const asked = codes.filter((c) => c !== 0 && c !== 11 && c !== 12);
  return asked.length === 0 ? "none (trust)" : asked.map((c) => names[c] ?? `method ${c}`).join(", ");
}
