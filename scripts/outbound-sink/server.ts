// Local stand-in for the two services outbound messages go through, on their real paths, headers
// and JSON, so the `resend` client and a plain Bot API call run unchanged:
//
//   POST /emails                      Resend: Authorization: Bearer <api key>, Idempotency-Key
//                                     (same key + same body → the first email's id again, no new
//                                     email; same key + another body → 409 invalid_idempotent_request)
//   POST /bot<token>/sendMessage      Telegram Bot API: {chat_id, text} → {ok, result: Message}
//   GET  /messages?recipient=&channel=   every message stored (newest last)      (local only)
//   DELETE /messages                                                             (local only)
//
// Instead of delivering, it stores each message in Postgres, in its own schema (outbound_sink,
// created here, not by the app's migrations), so tests and `npm run dev` see exactly what left.
// GET/DELETE /messages take the Resend API key as a bearer token.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";
import { closeServer, isEntryPoint, listen, readBody, requestToken, sendJson, tokenMatches, urlHost } from "../upstash/shared/http.ts";

export interface SinkMessage {
  id: string;
  channel: "email" | "telegram";
  sender: string | null;
  recipient: string;
  subject: string | null;
  body: string;
  idempotencyKey: string | null;
  createdAt: string;
}

export interface OutboundSinkOptions {
  /** A connection that may create a schema (the migration role locally). */
  databaseUrl: string;
  resendApiKey: string;
  telegramBotToken: string;
  port?: number;
  host?: string;
  onMessage?: (message: SinkMessage) => void;
}

export interface RunningOutboundSink {
  /** RESEND_BASE_URL and TELEGRAM_API_URL both point here. */
  url: string;
  stop: () => Promise<void>;
}

const SCHEMA = `
  create schema if not exists outbound_sink;
  create table if not exists outbound_sink.messages (
    seq bigserial primary key,
    id text not null unique,
    channel text not null,
    sender text,
    recipient text not null,
    subject text,
    body text not null,
    idempotency_key text,
    request_hash text not null,
    created_at timestamptz not null default now()
  );
  create unique index if not exists messages_idempotency_key on outbound_sink.messages (channel, idempotency_key) where idempotency_key is not null;
  create index if not exists messages_recipient on outbound_sink.messages (recipient, seq);
`;

// Resend's error body (the client reads name and message).
const resendError = (res: ServerResponse, statusCode: number, name: string, message: string) => sendJson(res, statusCode, { statusCode, name, message });
const telegramError = (res: ServerResponse, code: number, description: string) => sendJson(res, code, { ok: false, error_code: code, description });

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
const addressOf = (v: string) => /<([^>]+)>\s*$/.exec(v)?.[1] ?? v.trim();

type Row = { id: string; channel: "email" | "telegram"; sender: string | null; recipient: string; subject: string | null; body: string; idempotency_key: string | null; created_at: Date; request_hash: string };
const toMessage = (r: Row): SinkMessage => ({
  id: r.id, channel: r.channel, sender: r.sender, recipient: r.recipient, subject: r.subject, body: r.body, idempotencyKey: r.idempotency_key, createdAt: r.created_at.toISOString(),
});

export async function startOutboundSink(options: OutboundSinkOptions): Promise<RunningOutboundSink> {
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 3 });
  await db.query(SCHEMA);
  let telegramMessageId = 0;

  async function json(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
    try {
      const parsed: unknown = JSON.parse((await readBody(req, 1024 * 1024)).toString("utf8"));
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a message once per (channel, idempotency key); returns the stored row and whether it is new. */
  async function store(m: Omit<Row, "id" | "created_at">): Promise<{ row: Row; created: boolean }> {
    const inserted = await db.query<Row>(
      `insert into outbound_sink.messages (id, channel, sender, recipient, subject, body, idempotency_key, request_hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (channel, idempotency_key) where idempotency_key is not null do nothing
       returning *`,
      [randomUUID(), m.channel, m.sender, m.recipient, m.subject, m.body, m.idempotency_key, m.request_hash],
    );
    if (inserted.rows[0]) {
      options.onMessage?.(toMessage(inserted.rows[0]));
      return { row: inserted.rows[0], created: true };
    }
    const existing = await db.query<Row>("select * from outbound_sink.messages where channel = $1 and idempotency_key = $2", [m.channel, m.idempotency_key]);
    return { row: existing.rows[0]!, created: false };
  }

  async function email(req: IncomingMessage, res: ServerResponse, url: URL) {
    const token = requestToken(req, url);
    if (!token) return resendError(res, 401, "missing_api_key", "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY");
    if (!tokenMatches(token, options.resendApiKey)) return resendError(res, 403, "invalid_api_key", "API key is invalid");
    const input = await json(req);
    if (!input) return resendError(res, 422, "validation_error", "Invalid JSON body");
    const to = (Array.isArray(input.to) ? input.to : [input.to]).filter((x): x is string => typeof x === "string");
    if (to.length === 0 || to.length > 50 || !to.every((x) => EMAIL.test(addressOf(x)))) return resendError(res, 422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    if (typeof input.from !== "string" || !EMAIL.test(addressOf(input.from))) return resendError(res, 422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    if (typeof input.subject !== "string" || input.subject === "") return resendError(res, 422, "validation_error", "Missing `subject` field.");
    const body = typeof input.text === "string" ? input.text : typeof input.html === "string" ? input.html : "";
    const key = req.headers["idempotency-key"];
    const idempotencyKey = typeof key === "string" && key !== "" ? key : null;
    if (idempotencyKey && idempotencyKey.length > 256) return resendError(res, 400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    const hash = createHash("sha256").update(JSON.stringify(input)).digest("hex");
    // One row per recipient would split an email; Resend stores one email with its `to` list.
    const { row, created } = await store({ channel: "email", sender: input.from, recipient: to.map(addressOf).join(","), subject: input.subject, body, idempotency_key: idempotencyKey, request_hash: hash });
    if (!created && row.request_hash !== hash) {
      return resendError(res, 409, "invalid_idempotent_request", "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
    }
    return sendJson(res, 200, { id: row.id });
  }

  async function telegram(req: IncomingMessage, res: ServerResponse, token: string) {
    if (!tokenMatches(token, options.telegramBotToken)) return telegramError(res, 401, "Unauthorized");
    const input = await json(req);
    const chatId = input?.chat_id;
    if (chatId === undefined || chatId === null || chatId === "") return telegramError(res, 400, "Bad Request: chat_id is empty");
    if (typeof input?.text !== "string" || input.text.trim() === "") return telegramError(res, 400, "Bad Request: message text is empty");
    if (input.text.length > 4096) return telegramError(res, 400, "Bad Request: message is too long");
    const hash = createHash("sha256").update(JSON.stringify(input)).digest("hex");
    const { row } = await store({ channel: "telegram", sender: null, recipient: String(chatId), subject: null, body: input.text, idempotency_key: null, request_hash: hash });
    const messageId = ++telegramMessageId;
    return sendJson(res, 200, {
      ok: true,
      result: {
        message_id: messageId,
        from: { id: 1, is_bot: true, first_name: "AI Office (local)", username: "ai_office_local_bot" },
        chat: { id: Number.isFinite(Number(chatId)) ? Number(chatId) : String(chatId), type: "private" },
        date: Math.floor(new Date(row.created_at).getTime() / 1000),
        text: input.text,
      },
    });
  }

  async function messages(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (!tokenMatches(requestToken(req, url), options.resendApiKey)) return resendError(res, 401, "missing_api_key", "GET/DELETE /messages take the API key as a bearer token");
    if (req.method === "DELETE") {
      await db.query("delete from outbound_sink.messages");
      return sendJson(res, 200, { deleted: true });
    }
    const recipient = url.searchParams.get("recipient");
    const channel = url.searchParams.get("channel");
    const rows = await db.query<Row>(
      `select * from outbound_sink.messages
       where ($1::text is null or recipient = $1) and ($2::text is null or channel = $2)
       order by seq`,
      [recipient, channel],
    );
    return sendJson(res, 200, { data: rows.rows.map(toMessage) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://sink");
    if (req.method === "POST" && url.pathname === "/emails") return email(req, res, url);
    const bot = /^\/bot([^/]+)\/sendMessage$/.exec(url.pathname);
    if (req.method === "POST" && bot) return telegram(req, res, decodeURIComponent(bot[1]!));
    if ((req.method === "GET" || req.method === "DELETE") && url.pathname === "/messages") return messages(req, res, url);
    if (bot || url.pathname.startsWith("/bot")) return telegramError(res, 404, "Not Found");
    return resendError(res, 404, "not_found", "The requested endpoint does not exist.");
  }

  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) resendError(res, 500, "internal_server_error", (e as Error).message);
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${port}`,
    stop: async () => {
      await closeServer(server);
      await db.end();
    },
  };
}

// `node scripts/outbound-sink/server.ts` runs one on its own (DATABASE_URL, RESEND_API_KEY, TELEGRAM_BOT_TOKEN, PORT).
if (isEntryPoint(import.meta.url)) {
  const sink = await startOutboundSink({
    databaseUrl: process.env.DATABASE_URL ?? "",
    resendApiKey: process.env.RESEND_API_KEY ?? "re_local",
    telegramBotToken: process.env.TELEGRAM_BOT_TOKEN ?? "1:local",
    port: Number(process.env.PORT ?? 0),
  });
  console.log(`outbound sink on ${sink.url} (GET ${sink.url}/messages)`);
}
