// Closes a pg connection the way Postgres expects: send Terminate ('X', length 4), then wait for
// the server to close the socket. pg's own end() force-closes the socket while its read loop
// still has a read pending, which workerd reports as an unhandled "This socket has been closed."
// Falls back to end() if the server does not close in time.
import type { Client } from "pg";

const TERMINATE = new Uint8Array([0x58, 0, 0, 0, 4]);

interface PgConnectionInternals {
  stream?: { writable?: boolean; write(data: Uint8Array, cb?: (err?: unknown) => void): unknown };
  once(event: "end", listener: () => void): void;
}

export function closeGracefully(client: Client, timeoutMs = 2_000): Promise<void> {
  const connection = (client as unknown as { connection?: PgConnectionInternals }).connection;
  if (!connection?.stream?.writable) return client.end().catch(() => undefined);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.end().catch(() => undefined).finally(resolve);
    }, timeoutMs);
    connection.once("end", () => {
      clearTimeout(timer);
      resolve();
    });
    connection.stream!.write(TERMINATE);
  });
}
