// Sends an invitation through Supabase Auth with @supabase/supabase-js, as production runs it
// (locally the same client talks to the Auth stand-in, scripts/supabase-auth/server.ts). A person
// new to Supabase gets Auth's invite email (which creates their account); a person who already
// has an account gets a sign-in link instead, since Auth refuses to invite an existing address.
// Either link lands on INVITATION_ACCEPT_URL with ?invitation_token=…, which the app posts to
// POST /v1/invitations/accept once signed in.
import { createClient } from "@supabase/supabase-js";
import { ApiError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/env.ts";

export interface InvitationEmail {
  email: string;
  secret: string;
  tenantName: string;
  role: string;
  inviterName: string | null;
  expiresAt: string;
}

export function acceptUrl(env: AppEnv, secret: string): string {
  const url = new URL(env.INVITATION_ACCEPT_URL ?? `${env.PUBLIC_API_URL.replace(/\/$/, "")}/v1/invitations/accept`);
  url.searchParams.set("invitation_token", secret);
  return url.toString();
}

/** Which Auth email went out. Throws on any other failure, so the job is retried. */
export async function sendInvitation(env: AppEnv, mail: InvitationEmail): Promise<"invite" | "magiclink"> {
  if (!env.SUPABASE_URL || !env.SUPABASE_SECRET_KEY) {
    throw new ApiError("unavailable", "invitation email is not configured (SUPABASE_URL, SUPABASE_SECRET_KEY)");
  }
  const supabase = createClient(env.SUPABASE_URL, env.SUPABASE_SECRET_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: "implicit" },
  });
  const redirectTo = acceptUrl(env, mail.secret);
  // Template data for the Auth email (user_metadata of a new account: no secret in it).
  const data = { tenant_name: mail.tenantName, role: mail.role, invited_by: mail.inviterName, expires_at: mail.expiresAt };
  const invited = await supabase.auth.admin.inviteUserByEmail(mail.email, { redirectTo, data });
  if (!invited.error) return "invite";
  if (invited.error.code !== "email_exists") throw new Error(`Supabase Auth refused the invite: ${invited.error.code ?? invited.error.status} ${invited.error.message}`);
  const link = await supabase.auth.signInWithOtp({ email: mail.email, options: { shouldCreateUser: false, emailRedirectTo: redirectTo, data } });
  if (link.error) throw new Error(`Supabase Auth refused the sign-in link: ${link.error.code ?? link.error.status} ${link.error.message}`);
  return "magiclink";
}
