// A pg client on a Workers TCP socket. pg normally finds its socket through pg-cloudflare's
// "workerd" export condition on a CommonJS require, which the vitest Workers integration does
// not apply (it hands pg an empty module); giving pg the socket factory works everywhere.
import type { Duplex } from "node:stream";
import { Client, type ClientConfig } from "pg";
import { CloudflareSocket } from "pg-cloudflare";

export function workerClient(config: ClientConfig): Client {
  // pg types the stream as a Node Duplex; CloudflareSocket implements the part pg uses.
  const stream = () => new CloudflareSocket(false) as unknown as Duplex;
  return new Client({ ...config, stream });
}
