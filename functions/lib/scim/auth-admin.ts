// Provisioned people are Supabase Auth users, created or found through @supabase/supabase-js
// auth.admin exactly as production runs it (locally, against the Auth stand-in in
// scripts/supabase-auth/server.ts). The same person provisioned by two businesses is one Auth
// user with two memberships: createUser refuses an address that has an account (email_exists),
// and generateLink({type: "magiclink"}) then returns that account without sending any mail.
import { createClient } from "@supabase/supabase-js";
import type { AppEnv } from "../../../shared/env.ts";
import { ScimError } from "./errors.ts";

export async function authUserFor(env: AppEnv, email: string, displayName: string | null): Promise<string> {
  if (!env.SUPABASE_URL || !env.SUPABASE_SECRET_KEY) {
    throw new ScimError(503, undefined, "provisioning is not configured (SUPABASE_URL, SUPABASE_SECRET_KEY)", { "Retry-After": "60" });
  }
  const supabase = createClient(env.SUPABASE_URL, env.SUPABASE_SECRET_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const created = await supabase.auth.admin.createUser({ email, email_confirm: true, user_metadata: displayName ? { full_name: displayName } : {} });
  if (!created.error && created.data.user) return created.data.user.id;
  if (created.error?.code !== "email_exists") throw unavailable("create", created.error);
  const found = await supabase.auth.admin.generateLink({ type: "magiclink", email });
  if (found.error || !found.data.user) throw unavailable("find", found.error);
  return found.data.user.id;
}

// Auth refusing or unreachable is not the IdP's fault: 503 with Retry-After, which IdPs retry.
function unavailable(what: string, e: { code?: string; status?: number; message: string } | null): ScimError {
  if (e?.code === "validation_failed" || e?.code === "email_address_invalid") return new ScimError(400, "invalidValue", `Supabase Auth refused the email address: ${e.message}`);
  return new ScimError(503, undefined, `Supabase Auth could not ${what} the user; retry shortly`, { "Retry-After": "30" });
}
