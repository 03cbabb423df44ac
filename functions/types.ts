// Context types shared by every middleware and route: the Worker's bindings and the
// per-request variables that middleware sets, declared once.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../shared/env.ts";
import type { RequestDb, Logger } from "../shared/db/tx.ts";

export type Bindings = Record<string, unknown> & { HYPERDRIVE: Hyperdrive };

export interface AuthContext {
  userId: string;
  email: string | null;
  /** The tenant named by the verified token, or null for a person with no active tenant. */
  tenantId: string | null;
  claims: Record<string, unknown>;
}

export interface Variables {
  requestId: string;
  log: Logger;
  env: AppEnv;
  auth: AuthContext;
  /** Set by tenantContext: the tenant this request acts in (from the token only). */
  tenantId: string;
  db: RequestDb;
}

export interface AppConfig {
  Bindings: Bindings;
  Variables: Variables;
}

export type App = OpenAPIHono<AppConfig>;

/** A route file: registers its definition and handler on the app. */
export interface RouteModule {
  register: (app: App) => unknown;
}
