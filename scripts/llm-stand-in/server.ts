// Local stand-in for an OpenAI-compatible chat-completions provider (MiniMax, OpenAI, Workers
// AI), on the real paths, headers and JSON, so functions/lib/llm runs unchanged against it:
//
//   POST /v1/chat/completions   Authorization: Bearer <api key>; answers deterministically
//                               (answers.ts) or with the next step scripted for the request's scenario
//   GET  /v1/models             the models it serves
//
// Scripting (tests), with the control key as a bearer token. A request's scenario is the
// `x-llm-scenario` header, else a `[llm-scenario:<id>]` marker in any message, else "default":
//   POST   /control/scenarios/<id>   {steps: Step[]}  queue answers (answers.ts: text, tool_calls,
//                                    refusal, error with Retry-After, raw bodies, delayMs, usage, times)
//   GET    /control/scenarios/<id>   {pending}  steps not yet used
//   DELETE /control/scenarios/<id>   drop its queued steps and recorded requests
//   GET    /control/requests?scenario=<id>   every request received (bodies as sent; never the key)
//   DELETE /control/requests[?scenario=<id>]
// State is in memory: a run of the stand-in starts empty.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { z } from "zod";
import { closeServer, isEntryPoint, listen, readBody, requestToken, sendJson, tokenMatches, urlHost } from "../upstash/shared/http.ts";
import { answer, ChatRequest, MARKER, STAND_IN_MODEL, Step, type Answer } from "./answers.ts";

export { STAND_IN_MODEL };

export interface LlmStandInOptions {
  apiKey: string;
  controlKey: string;
  /** Model ids it accepts (the first is the default for dev). */
  models?: string[];
  port?: number;
  host?: string;
  onRequest?: (request: RecordedRequest) => void;
}

export interface RecordedRequest {
  seq: number;
  scenario: string;
  receivedAt: string;
  method: string;
  path: string;
  /** Whether the Authorization header carried the API key (the key itself is never recorded). */
  authorized: boolean;
  /** The JSON body as sent, or the raw text when it was not JSON. */
  body: unknown;
  /** The status the stand-in answered (null if the client went away first). */
  status: number | null;
}

export interface RunningLlmStandIn {
  /** The provider base URL (LLM_BASE_URL): …/v1. */
  baseUrl: string;
  /** The server's origin (control endpoints live under it). */
  url: string;
  models: string[];
  stop: () => Promise<void>;
}

const MAX_RECORDED = 10_000;
const Steps = z.object({ steps: z.array(Step).min(1).max(1000) });
const openaiError = (res: ServerResponse, status: number, message: string, type: string, code: string | null) => sendJson(res, status, { error: { message, type, param: null, code } });

export async function startLlmStandIn(options: LlmStandInOptions): Promise<RunningLlmStandIn> {
  const models = options.models ?? [STAND_IN_MODEL];
  const queues = new Map<string, Step[]>();
  const recorded: RecordedRequest[] = [];
  const waits = new Set<() => void>();
  let seq = 0;

  /** Waits ms, or less if the client goes away or the stand-in stops; true if the client is still there. */
  const delay = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waits.delete(done);
        res.off("close", done);
        resolve(!res.destroyed && !res.writableEnded);
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
      res.on("close", done);
    });

  const nextStep = (scenario: string): Step | undefined => {
    const queue = queues.get(scenario);
    const step = queue?.[0];
    if (!step) return undefined;
    if (step.times !== undefined && step.times > 1) queue[0] = { ...step, times: step.times - 1 };
    else queue.shift();
    return step;
  };

  async function completions(req: IncomingMessage, res: ServerResponse, url: URL) {
    const raw = (await readBody(req, 8 * 1024 * 1024)).toString("utf8");
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // recorded as text; answered 400 below
    }
    const header = req.headers["x-llm-scenario"];
    const scenario = (typeof header === "string" && header) || MARKER.exec(raw)?.[1] || "default";
    const authorized = tokenMatches(requestToken(req, url), options.apiKey);
    const record: RecordedRequest = { seq: ++seq, scenario, receivedAt: new Date().toISOString(), method: "POST", path: url.pathname, authorized, body, status: null };
    recorded.push(record);
    if (recorded.length > MAX_RECORDED) recorded.shift();
    options.onRequest?.(record);
    const send = (a: Answer) => {
      record.status = a.status;
      res.writeHead(a.status, { ...a.headers, "content-length": Buffer.byteLength(a.body) });
      res.end(a.body);
    };
    if (!authorized) {
      record.status = 401;
      return openaiError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const parsed = ChatRequest.safeParse(body);
    if (!parsed.success) {
      record.status = 400;
      const issue = parsed.error.issues[0];
      return openaiError(res, 400, typeof body === "string" ? "We could not parse the JSON body of your request." : `Invalid request: ${issue?.path.join(".")}: ${issue?.message}`, "invalid_request_error", null);
    }
    const request = parsed.data;
    if (!models.includes(request.model)) {
      record.status = 404;
      return openaiError(res, 404, `The model \`${request.model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");
    }
    const orphan = toolMessageWithoutCall(request);
    if (orphan) {
      record.status = 400;
      return openaiError(res, 400, `Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (${orphan}).`, "invalid_request_error", null);
    }
    const step = nextStep(scenario);
    if (step?.delayMs && !(await delay(step.delayMs, res))) return;
    send(answer(request, step, record.seq));
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (!tokenMatches(requestToken(req, url), options.controlKey)) return openaiError(res, 401, "the control endpoints take the control key", "invalid_request_error", "invalid_api_key");
    const scenarioPath = /^\/control\/scenarios\/([A-Za-z0-9_.:-]{1,100})$/.exec(url.pathname);
    if (scenarioPath) {
      const id = scenarioPath[1]!;
      if (req.method === "POST") {
        let input: unknown;
        try {
          input = JSON.parse((await readBody(req, 4 * 1024 * 1024)).toString("utf8"));
        } catch {
          return openaiError(res, 400, "the body is not JSON", "invalid_request_error", null);
        }
        const steps = Steps.safeParse(input);
        if (!steps.success) return sendJson(res, 400, { error: { message: "invalid steps", type: "invalid_request_error", issues: steps.error.issues } });
        const queue = queues.get(id) ?? [];
        queue.push(...steps.data.steps);
        queues.set(id, queue);
        return sendJson(res, 200, { scenario: id, pending: queue.length });
      }
      if (req.method === "GET") return sendJson(res, 200, { scenario: id, pending: queues.get(id)?.length ?? 0 });
      if (req.method === "DELETE") {
        queues.delete(id);
        forget(id);
        return sendJson(res, 200, { scenario: id, deleted: true });
      }
    }
    if (url.pathname === "/control/requests") {
      const scenario = url.searchParams.get("scenario");
      if (req.method === "GET") return sendJson(res, 200, { data: recorded.filter((r) => scenario === null || r.scenario === scenario) });
      if (req.method === "DELETE") {
        forget(scenario);
        return sendJson(res, 200, { deleted: true });
      }
    }
    return openaiError(res, 404, "no such control endpoint", "invalid_request_error", null);
  }

  function forget(scenario: string | null) {
    const keep = recorded.filter((r) => scenario !== null && r.scenario !== scenario);
    recorded.splice(0, recorded.length, ...keep);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://llm");
    if (url.pathname.startsWith("/control/")) return control(req, res, url);
    if (req.method === "POST" && url.pathname === "/v1/chat/completions") return completions(req, res, url);
    if (req.method === "GET" && url.pathname === "/v1/models") {
      if (!tokenMatches(requestToken(req, url), options.apiKey)) return openaiError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      return sendJson(res, 200, { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "ai-office-stand-in" })) });
    }
    return openaiError(res, 404, `Unknown request URL: ${req.method} ${url.pathname}.`, "invalid_request_error", "unknown_url");
  }

  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) openaiError(res, 500, (e as Error).message, "server_error", null);
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  const origin = `http://${urlHost(host)}:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    url: origin,
    models,
    stop: async () => {
      for (const wake of [...waits]) wake();
      await closeServer(server);
    },
  };
}

/** The id of a tool message that answers no earlier assistant tool call (OpenAI refuses those). */
function toolMessageWithoutCall(request: ChatRequest): string | undefined {
  const calls = new Set<string>();
  for (const m of request.messages) {
    if (m.role === "assistant") for (const c of m.tool_calls ?? []) calls.add(c.id);
    if (m.role === "tool" && !calls.has(m.tool_call_id)) return m.tool_call_id;
  }
  return undefined;
}

// `node scripts/llm-stand-in/server.ts` runs one on its own (LLM_API_KEY, LLM_CONTROL_KEY, PORT).
if (isEntryPoint(import.meta.url)) {
  const apiKey = process.env.LLM_API_KEY ?? `sk-local-${randomBytes(12).toString("hex")}`;
  const controlKey = process.env.LLM_CONTROL_KEY ?? randomBytes(16).toString("hex");
  const standIn = await startLlmStandIn({ apiKey, controlKey, port: Number(process.env.PORT ?? 0) });
  console.log(`LLM stand-in on ${standIn.baseUrl} (model ${standIn.models[0]}; API key ${apiKey}; control key ${controlKey})`);
}
