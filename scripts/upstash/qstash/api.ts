// The QStash v2 HTTP API as @upstash/qstash calls it (bearer-token auth on every route):
//   POST   /v2/publish/<destination URL>          POST /v2/enqueue/<queue>/<destination URL>
//   POST   /v2/batch                              GET|DELETE /v2/messages/<id>, DELETE /v2/messages
//   POST   /v2/schedules/<destination URL>        GET /v2/schedules, GET|DELETE /v2/schedules/<id>
//   PATCH  /v2/schedules/<id>/pause|resume        GET /v2/dlq, DELETE /v2/dlq/<id>
//   GET    /v2/events (also /v2/logs)             GET /v2/keys
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, requestToken, sendJson, tokenMatches } from "../shared/http.ts";
import type { QStashEngine } from "./engine.ts";
import { BadRequest, isHttpUrl, parsePublishHeaders } from "./headers.ts";
import { dlqView, messageView, scheduleView } from "./views.ts";

export interface ApiContext {
  token: string;
  engine: QStashEngine;
  signingKeys: { current: string; next: string };
  /** Called after a publish, so the server can deliver immediately instead of at the next tick. */
  onEnqueue: () => void;
}

class NotFound extends Error {}

export function createQStashHandler(context: ApiContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? "/";
    const url = new URL(raw, "http://localhost");
    if (!tokenMatches(requestToken(req, url), context.token)) {
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    }
    try {
      await route(context, req, res, raw, url);
    } catch (error) {
      if (error instanceof BadRequest) sendJson(res, 400, { error: error.message });
      else if (error instanceof NotFound) sendJson(res, 404, { error: error.message });
      else sendJson(res, 500, { error: `local QStash stand-in: ${(error as Error).message}` });
    }
  };
}

async function route(context: ApiContext, req: IncomingMessage, res: ServerResponse, raw: string, url: URL): Promise<void> {
  const { engine } = context;
  const method = req.method ?? "GET";
  const callerIp = req.socket.remoteAddress;
  const path = url.pathname;

  if (method === "POST" && (raw.startsWith("/v2/publish/") || raw.startsWith("/v2/enqueue/"))) {
    // The destination is everything after the prefix, including its own query string.
    let rest = raw.slice("/v2/publish/".length);
    if (raw.startsWith("/v2/enqueue/")) rest = rest.slice(rest.indexOf("/") + 1); // queues: ordering not modelled
    const destination = parseDestination(rest);
    const options = parsePublishHeaders(req.headers);
    if (options.cron) throw new BadRequest("Upstash-Cron is only valid on /v2/schedules");
    const result = engine.publish(destination, options, await readBody(req), callerIp);
    context.onEnqueue();
    sendJson(res, result.deduplicated ? 202 : 201, result);
    return;
  }
  if (method === "POST" && path === "/v2/batch") {
    const items = parseBatch(await readBody(req));
    const results = items.map((item) => {
      const options = parsePublishHeaders(Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])));
      return engine.publish(parseDestination(item.destination), options, Buffer.from(item.body ?? ""), callerIp);
    });
    context.onEnqueue();
    sendJson(res, 201, results);
    return;
  }
  if (method === "POST" && raw.startsWith("/v2/schedules/")) {
    const destination = parseDestination(raw.slice("/v2/schedules/".length));
    const options = parsePublishHeaders(req.headers);
    if (!options.cron) throw new BadRequest("Upstash-Cron header is required");
    let scheduleId: string;
    try {
      scheduleId = engine.upsertSchedule(destination, options, await readBody(req), callerIp);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    sendJson(res, 201, { scheduleId });
    return;
  }

  const segments = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  const [version, resource, id, action] = segments;
  if (version !== "v2") throw new NotFound(`no route for ${method} ${path}`);

  if (resource === "messages") {
    if (method === "GET" && id) {
      const message = engine.messages.get(id);
      if (!message) throw new NotFound(`message ${id} not found`);
      sendJson(res, 200, messageView(message));
      return;
    }
    if (method === "DELETE" && id) {
      if (!engine.cancel(id)) throw new NotFound(`message ${id} not found`);
      sendJson(res, 200, { cancelled: 1 });
      return;
    }
    if (method === "DELETE") {
      sendJson(res, 200, { cancelled: cancelMany(engine, url.searchParams) });
      return;
    }
  }
  if (resource === "schedules") {
    if (method === "GET" && !id) {
      sendJson(res, 200, [...engine.schedules.values()].map((s) => scheduleView(s.schedule)));
      return;
    }
    if (method === "GET" && id) {
      const entry = engine.schedules.get(id);
      if (!entry) throw new NotFound(`schedule ${id} not found`);
      sendJson(res, 200, scheduleView(entry.schedule));
      return;
    }
    if (method === "DELETE" && id) {
      if (!engine.deleteSchedule(id)) throw new NotFound(`schedule ${id} not found`);
      res.writeHead(200).end();
      return;
    }
    if (method === "PATCH" && id && (action === "pause" || action === "resume")) {
      if (!engine.setPaused(id, action === "pause")) throw new NotFound(`schedule ${id} not found`);
      res.writeHead(200).end();
      return;
    }
  }
  if (resource === "dlq") {
    if (method === "GET" && !id) {
      sendJson(res, 200, { messages: engine.dlq.map(dlqView) });
      return;
    }
    if (method === "DELETE" && id) {
      if (!engine.deleteDlq(id)) throw new NotFound(`DLQ message ${id} not found`);
      res.writeHead(200).end();
      return;
    }
  }
  if ((resource === "events" || resource === "logs") && method === "GET") {
    const events = [...engine.events].reverse(); // newest first, as QStash lists them
    sendJson(res, 200, { events, logs: events });
    return;
  }
  if (resource === "keys" && method === "GET") {
    sendJson(res, 200, context.signingKeys);
    return;
  }
  throw new NotFound(`no route for ${method} ${path}`);
}

function parseDestination(text: string): string {
  // Some clients percent-encode the destination; @upstash/qstash sends it verbatim.
  const destination = /^https?%3A/i.test(text) ? decodeURIComponent(text) : text;
  if (!isHttpUrl(destination)) {
    throw new BadRequest(`invalid destination ${JSON.stringify(destination)}: the local stand-in delivers to http(s) URLs only (no URL groups or APIs)`);
  }
  return destination;
}

interface BatchItem {
  destination: string;
  headers?: Record<string, string>;
  body?: string;
}

function parseBatch(body: Buffer): BatchItem[] {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequest("batch body must be a JSON array");
  }
  if (!Array.isArray(value) || value.some((item) => typeof item?.destination !== "string")) {
    throw new BadRequest("batch body must be an array of { destination, headers?, body? }");
  }
  return value as BatchItem[];
}

function cancelMany(engine: QStashEngine, query: URLSearchParams): number {
  const ids = query.getAll("messageIds");
  const url = query.get("url");
  const label = query.get("label");
  const scheduleId = query.get("scheduleId");
  let cancelled = 0;
  for (const message of [...engine.messages.values()]) {
    const selected = ids.length > 0
      ? ids.includes(message.messageId)
      : (url === null || message.url === url) && (label === null || message.label === label) && (scheduleId === null || message.scheduleId === scheduleId);
    if (selected && engine.cancel(message.messageId)) cancelled++;
  }
  return cancelled;
}
