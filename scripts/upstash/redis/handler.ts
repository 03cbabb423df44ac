// The Upstash Redis REST protocol over HTTP: `POST /` with a JSON command array, `/pipeline`,
// `/multi-exec`, and path commands (`GET /set/foo/bar?EX=100`, POST body appended as the last
// argument). Status codes as Upstash documents: 200 ok, 400 command error, 401 bad token,
// 405 other methods; a Redis the bridge cannot reach is a 500 naming the cause.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, requestToken, sendJson, tokenMatches } from "../shared/http.ts";
import { toEntry } from "./encode.ts";
import type { RedisBridge, Reply } from "./client.ts";
import type { ScriptShaMap } from "./scripts.ts";

// Commands that would change per-connection state on a shared connection, or stream forever.
const UNSUPPORTED = new Set([
  "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "monitor",
  "select", "quit", "reset", "hello", "auth", "multi", "exec", "discard", "watch", "unwatch",
  "sync", "psync", "replicaof", "slaveof", "shutdown", "debug",
]);

type Route =
  | { kind: "single"; command: string[] }
  | { kind: "pipeline" | "multi-exec"; commands: string[][] };

class BadRequest extends Error {}

export interface HandlerContext {
  token: string;
  redis: RedisBridge;
  scripts: ScriptShaMap;
}

export function createRedisRestHandler(context: HandlerContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    if (!["GET", "HEAD", "POST", "PUT"].includes(method)) {
      sendJson(res, 405, { error: `ERR method ${method} is not allowed` }, { allow: "GET, HEAD, POST, PUT" });
      return;
    }
    if (!tokenMatches(requestToken(req, url), context.token)) {
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    }
    const format = req.headers["upstash-response-format"];
    if (format !== undefined && String(format).toLowerCase() !== "json") {
      sendJson(res, 400, { error: "ERR only the json response format is supported by the local bridge" });
      return;
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    try {
      const route = parseRoute(url, method, await readBody(req));
      if (route.kind === "single") {
        const [reply] = await execute(context, [route.command]);
        const entry = toEntry(reply!, base64);
        sendJson(res, "error" in entry ? 400 : 200, entry);
      } else if (route.kind === "pipeline") {
        const replies = await execute(context, route.commands);
        sendJson(res, 200, replies.map((r) => toEntry(r, base64)));
      } else {
        const outcome = await transaction(context, route.commands);
        if (outcome instanceof Error) sendJson(res, 400, { error: outcome.message });
        else sendJson(res, 200, outcome.map((r) => toEntry(r, base64)));
      }
    } catch (error) {
      if (error instanceof BadRequest) sendJson(res, 400, { error: error.message });
      else sendJson(res, 500, { error: `ERR local Upstash bridge: ${(error as Error).message}` });
    }
  };
}

function parseRoute(url: URL, method: string, body: Buffer): Route {
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") return { kind: "single", command: toCommand(parseJson(body)) };
  if (path === "/pipeline" || path === "/multi-exec") {
    const value = parseJson(body);
    if (!Array.isArray(value) || value.length === 0) throw new BadRequest("ERR expected a non-empty array of commands");
    return { kind: path === "/pipeline" ? "pipeline" : "multi-exec", commands: value.map(toCommand) };
  }
  const command = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  if ((method === "POST" || method === "PUT") && body.length > 0) command.push(body.toString("utf8"));
  for (const [key, value] of url.searchParams) {
    if (key === "_token") continue;
    command.push(key);
    if (value !== "") command.push(value);
  }
  return { kind: "single", command };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new BadRequest("ERR empty request body: send a JSON command array");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequest("ERR failed to parse the request body as JSON");
  }
}

// @upstash/redis sends strings, numbers and booleans; anything else is sent as its JSON text.
function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || typeof value[0] !== "string") {
    throw new BadRequest("ERR a command must be a non-empty JSON array starting with the command name");
  }
  return value.map((arg) => (typeof arg === "string" ? arg : typeof arg === "number" || typeof arg === "boolean" ? String(arg) : JSON.stringify(arg)));
}

function unsupported(command: string[]): Error | undefined {
  const name = command[0]!.toLowerCase();
  const sub = command[1]?.toLowerCase();
  if (UNSUPPORTED.has(name) || (name === "client" && (sub === "reply" || sub === "tracking"))) {
    return new Error(`ERR command '${command[0]}' is not supported over the REST API`);
  }
  return undefined;
}

/** Runs commands as one pipelined batch; unsupported ones answer an error in their slot. */
async function execute(context: HandlerContext, commands: string[][]): Promise<Reply[]> {
  const rejected = commands.map(unsupported);
  const runnable = commands.filter((_, i) => !rejected[i]);
  const replies = await context.redis.run(runnable.map((c) => context.scripts.rewrite(c)));
  let next = 0;
  return commands.map((command, i) => rejected[i] ?? context.scripts.fixReply(command, replies[next++]!));
}

/** MULTI … EXEC. A transaction Redis discards is one error, as in Upstash. */
async function transaction(context: HandlerContext, commands: string[][]): Promise<Reply[] | Error> {
  for (const command of commands) {
    const rejected = unsupported(command);
    if (rejected) return rejected;
  }
  const outcome = await context.redis.transaction(commands.map((c) => context.scripts.rewrite(c)));
  if (outcome instanceof Error) return outcome;
  return outcome.map((reply, i) => context.scripts.fixReply(commands[i]!, reply));
}
