// Local stand-in for the part of Supabase Auth (GoTrue) the API calls: the admin invite and the
// email one-time link, on the same paths, headers and JSON as GoTrue, so @supabase/supabase-js
// runs unchanged (`auth.admin.inviteUserByEmail`, `auth.signInWithOtp`). Instead of sending mail
// it records each message in an outbox: kept in memory, appended to a JSON-lines file when one is
// given, shown to the dev stack through `onMessage`, and readable at GET /outbox (with the
// secret key) by tests. Like GoTrue, an invite creates the person in auth.users.
//
//   POST /auth/v1/invite?redirect_to=…   {email, data}          admin (secret key) → the user
//   POST /auth/v1/otp?redirect_to=…      {email, create_user}   → {}
//   GET  /auth/v1/health
//   GET  /outbox, DELETE /outbox                                (local only)
import { appendFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";
import { closeServer, listen, readBody, requestToken, sendJson, tokenMatches, urlHost } from "../upstash/shared/http.ts";

export interface AuthMessage {
  id: string;
  kind: "invite" | "magiclink";
  to: string;
  redirectTo: string | null;
  data: Record<string, unknown>;
  userId: string;
  sentAt: string;
}

export interface AuthStandInOptions {
  /** A connection that may write auth.users (the migration role `postgres` locally). */
  databaseUrl: string;
  secretKey: string;
  port?: number;
  host?: string;
  outboxFile?: string;
  onMessage?: (message: AuthMessage) => void;
}

export interface RunningAuthStandIn {
  /** SUPABASE_URL for supabase-js (the stand-in serves /auth/v1 under it). */
  url: string;
  outbox: AuthMessage[];
  stop: () => Promise<void>;
}

// GoTrue's error body: {code, error_code, msg}; supabase-js reads error_code.
const fail = (res: ServerResponse, status: number, code: string, msg: string) => sendJson(res, status, { code: status, error_code: code, msg });

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function startAuthStandIn(options: AuthStandInOptions): Promise<RunningAuthStandIn> {
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  await db.query("select 1 from auth.users limit 1"); // fail now, with the reason, not on the first invite
  const outbox: AuthMessage[] = [];

  async function record(message: AuthMessage) {
    outbox.push(message);
    if (options.outboxFile) await appendFile(options.outboxFile, `${JSON.stringify(message)}\n`, { mode: 0o600 });
    options.onMessage?.(message);
  }

  async function body(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
    try {
      const parsed: unknown = JSON.parse((await readBody(req, 64 * 1024)).toString("utf8"));
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const admin = tokenMatches(requestToken(req, url), options.secretKey) && tokenMatches(req.headers.apikey as string | undefined, options.secretKey);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /auth/v1/health") return sendJson(res, 200, { name: "GoTrue (local stand-in)", description: "records mail in an outbox" });
    if (route === "GET /outbox" || route === "DELETE /outbox") {
      if (!admin) return fail(res, 401, "no_authorization", "This endpoint requires the secret key");
      if (req.method === "DELETE") outbox.length = 0;
      return sendJson(res, 200, outbox);
    }
    if (route !== "POST /auth/v1/invite" && route !== "POST /auth/v1/otp") return fail(res, 404, "not_found", "Not found");
    if (!admin) return fail(res, 401, "no_authorization", "This endpoint requires a valid Bearer token");
    const input = await body(req);
    const email = typeof input?.email === "string" ? input.email.trim().toLowerCase() : "";
    if (!EMAIL.test(email) || email.length > 255) return fail(res, 400, "validation_failed", "Unable to validate email address: invalid format");
    const data = typeof input?.data === "object" && input.data !== null ? (input.data as Record<string, unknown>) : {};
    const redirectTo = url.searchParams.get("redirect_to");

    if (url.pathname.endsWith("/invite")) {
      // GoTrue refuses to invite an address that already has an account.
      const created = await db.query<{ id: string; created_at: Date }>(
        `insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data)
         values (gen_random_uuid(), 'authenticated', 'authenticated', $1, $2, '{"provider":"email","providers":["email"]}')
         on conflict (email) do nothing returning id, created_at`,
        [email, JSON.stringify(data)],
      );
      const user = created.rows[0];
      if (!user) return fail(res, 422, "email_exists", "A user with this email address has already been registered");
      await record({ id: crypto.randomUUID(), kind: "invite", to: email, redirectTo, data, userId: user.id, sentAt: new Date().toISOString() });
      const at = user.created_at.toISOString();
      return sendJson(res, 200, {
        id: user.id, aud: "authenticated", role: "authenticated", email, phone: "", invited_at: at, confirmation_sent_at: at,
        app_metadata: { provider: "email", providers: ["email"] }, user_metadata: data, identities: [], created_at: at, updated_at: at, is_anonymous: false,
      });
    }
    const existing = await db.query<{ id: string }>("select id from auth.users where lower(email) = $1", [email]);
    if (!existing.rows[0]) {
      if (input?.create_user === false) return fail(res, 422, "otp_disabled", "Signups not allowed for otp");
      return fail(res, 501, "not_implemented", "the local stand-in only sends links to existing users");
    }
    await record({ id: crypto.randomUUID(), kind: "magiclink", to: email, redirectTo, data, userId: existing.rows[0].id, sentAt: new Date().toISOString() });
    return sendJson(res, 200, {});
  }

  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) fail(res, 500, "unexpected_failure", (e as Error).message);
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${port}`,
    outbox,
    stop: async () => {
      await closeServer(server);
      await db.end();
    },
  };
}
