// Local stand-in for the part of Supabase Auth (GoTrue) the API calls: the admin invite and the
// email one-time link, on the same paths, headers and JSON as GoTrue, so @supabase/supabase-js
// runs unchanged (`auth.admin.inviteUserByEmail`, `auth.signInWithOtp`). Instead of sending mail
// it records each message in an outbox: kept in memory, appended to a JSON-lines file when one is
// given, shown to the dev stack through `onMessage`, and readable at GET /outbox (with the
// secret key) by tests. Like GoTrue, an invite creates the person in auth.users. SCIM provisioning
// uses the two admin calls that create or find a person without sending mail.
//
//   POST /auth/v1/invite?redirect_to=…   {email, data}          admin (secret key) → the user
//   POST /auth/v1/otp?redirect_to=…      {email, create_user}   → {}
//   POST /auth/v1/admin/users            {email, email_confirm, user_metadata}  admin → the user (422 email_exists)
//   POST /auth/v1/admin/generate_link    {type: "magiclink", email}             admin → the link's properties and the user
//   GET  /auth/v1/health
//   GET  /outbox, DELETE /outbox                                (local only)
import { randomBytes } from "node:crypto";
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
    const paths = ["POST /auth/v1/invite", "POST /auth/v1/otp", "POST /auth/v1/admin/users", "POST /auth/v1/admin/generate_link"];
    if (!paths.includes(route)) return fail(res, 404, "not_found", "Not found");
    if (!admin) return fail(res, 401, "no_authorization", "This endpoint requires a valid Bearer token");
    const input = await body(req);
    const email = typeof input?.email === "string" ? input.email.trim().toLowerCase() : "";
    if (!EMAIL.test(email) || email.length > 255) return fail(res, 400, "validation_failed", "Unable to validate email address: invalid format");
    const data = typeof input?.data === "object" && input.data !== null ? (input.data as Record<string, unknown>) : {};
    const redirectTo = url.searchParams.get("redirect_to");

    if (url.pathname.startsWith("/auth/v1/admin/")) {
      const metadata = typeof input?.user_metadata === "object" && input.user_metadata !== null ? input.user_metadata : (typeof input?.data === "object" && input.data !== null ? input.data : {});
      if (url.pathname.endsWith("/generate_link") && input?.type !== "magiclink") return fail(res, 400, "validation_failed", "the local stand-in generates magic links only");
      const created = await db.query<{ id: string; created_at: Date; inserted: boolean }>(
        `with ins as (
           insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data)
           values (gen_random_uuid(), 'authenticated', 'authenticated', $1, $2, '{"provider":"email","providers":["email"]}')
           on conflict (email) do nothing returning id, created_at, true as inserted
         )
         select * from ins union all
         select id, created_at, false from auth.users where lower(email) = $1 and not exists (select 1 from ins)`,
        [email, JSON.stringify(metadata)],
      );
      const user = created.rows[0]!;
      // createUser refuses an address that already has an account; generate_link finds (or creates) it.
      if (url.pathname.endsWith("/admin/users") && !user.inserted) return fail(res, 422, "email_exists", "A user with this email address has already been registered");
      const at = user.created_at.toISOString();
      const body = {
        id: user.id, aud: "authenticated", role: "authenticated", email, phone: "", email_confirmed_at: input?.email_confirm === true || !user.inserted ? at : null,
        app_metadata: { provider: "email", providers: ["email"] }, user_metadata: metadata, identities: [], created_at: at, updated_at: at, is_anonymous: false,
      };
      if (url.pathname.endsWith("/admin/users")) return sendJson(res, 200, body);
      const hashed = randomBytes(28).toString("hex");
      return sendJson(res, 200, {
        ...body, action_link: `http://${req.headers.host ?? "127.0.0.1"}/auth/v1/verify?token=${hashed}&type=magiclink`, email_otp: randomBytes(3).toString("hex"),
        hashed_token: hashed, redirect_to: redirectTo ?? "", verification_type: "magiclink",
      });
    }

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
