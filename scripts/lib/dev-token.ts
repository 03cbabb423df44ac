// Mints a local access token the way Supabase Auth would: the person's claims run through the
// project's own custom access token hook (public.custom_access_token_hook), then HS256 with the
// dev secret. Tokens live 15 minutes, like production ones.
import { SignJWT } from "jose";
import pg from "pg";

export const DEV_ISSUER = "http://127.0.0.1:54321/auth/v1";
export const TOKEN_TTL_S = 15 * 60;

export async function mintDevToken(adminUrl: string, email: string, secret: string): Promise<{ token: string; claims: Record<string, unknown> }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const user = await client.query<{ id: string; email: string }>("select id, email from auth.users where lower(email) = lower($1)", [email]);
    if (!user.rows[0]) throw new Error(`no user with email ${email} (seeded users are listed in supabase/seed.sql)`);
    const { id } = user.rows[0];
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: DEV_ISSUER,
      aud: "authenticated",
      sub: id,
      email: user.rows[0].email,
      role: "authenticated",
      aal: "aal1",
      session_id: crypto.randomUUID(),
      is_anonymous: false,
      iat: now,
      exp: now + TOKEN_TTL_S,
    };
    const hooked = await client.query<{ event: { claims: Record<string, unknown> } }>(
      "select public.custom_access_token_hook($1::jsonb) as event",
      [JSON.stringify({ user_id: id, claims: base, authentication_method: "password" })],
    );
    const claims = hooked.rows[0]!.event.claims;
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(new TextEncoder().encode(secret));
    return { token, claims };
  } finally {
    await client.end();
  }
}
