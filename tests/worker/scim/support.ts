// A SCIM client for tests: a tenant's SCIM token (made through the control plane, as an admin
// would) and requests as an IdP sends them (application/scim+json).
import { expect } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import type { SeededTenant } from "../../support/seed.ts";
import { hs256Token } from "../../support/tokens.ts";

export const SCIM = "application/scim+json";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export interface ScimClient {
  token: string;
  tokenId: string;
  send: (path: string, options?: { method?: string; body?: unknown; token?: string }) => Promise<Response>;
}

export async function scimClient(t: SeededTenant, name = "IdP"): Promise<ScimClient> {
  const res = await call("/v1/admin/scim/tokens", { token: await t.admin.token(), body: { name } });
  expect(res.status).toBe(201);
  const { token, id } = await json<{ token: string; id: string }>(res);
  return {
    token,
    tokenId: id,
    send: (path, options = {}) =>
      call(`/scim/v2${path}`, {
        method: options.method,
        token: options.token ?? token,
        body: options.body,
        headers: options.body === undefined ? {} : { "content-type": SCIM },
      }),
  };
}

/** The response's SCIM JSON, after checking its status and content type. */
export async function scim<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe(SCIM);
  return JSON.parse(text) as T;
}

export async function expectScimError(res: Response, status: number, scimType?: string): Promise<Record<string, unknown>> {
  const body = await scim(res, status);
  expect(body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status) });
  if (scimType) expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe("string");
  return body;
}

/** The Auth user a SCIM User is linked to. */
export async function personOf(scimUserId: string): Promise<{ userId: string; email: string }> {
  const { rows } = await withAdmin((c) =>
    c.query<{ userId: string; email: string }>(`select u.user_id as "userId", a.email from public.scim_users u join auth.users a on a.id = u.user_id where u.id = $1`, [scimUserId]),
  );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

export interface MemberView {
  role: string;
  department: string | null;
  active: boolean;
  email: string | null;
  displayName: string | null;
}

/** The member as the business's owner sees them through the /v1 API. */
export async function memberView(t: SeededTenant, userId: string): Promise<MemberView> {
  const res = await call(`/v1/members/${userId}`, { token: await t.owner.token() });
  expect(res.status).toBe(200);
  const m = await json<MemberView>(res);
  return { role: m.role, department: m.department, active: m.active, email: m.email, displayName: m.displayName };
}

/** An access token of the provisioned person, naming this business. */
export const accessToken = (t: SeededTenant, person: { userId: string; email: string }) => hs256Token({ id: person.userId, email: person.email, tenantId: t.id });
