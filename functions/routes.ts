// Every route module, in the order of the docs. Each exports `register(app)`; the OpenAPI
// document and the route inventory test are built from what these register.
import * as docs from "./routes/meta/docs.ts";
import * as health from "./routes/meta/health.ts";
import * as openapi from "./routes/meta/openapi.ts";
import * as meGet from "./routes/me/get.ts";
import * as meUpdateSettings from "./routes/me/update-settings.ts";
import * as meListTenants from "./routes/me/list-tenants.ts";
import * as meSetActiveTenant from "./routes/me/set-active-tenant.ts";
import { routes as notifications } from "./routes/notifications/index.ts";
import * as tenantsCreate from "./routes/tenants/create.ts";
import * as membersList from "./routes/members/list.ts";
import * as membersGet from "./routes/members/get.ts";
import * as membersUpdate from "./routes/members/update.ts";
import { routes as invitations } from "./routes/members/invitations/index.ts";
import * as usageGet from "./routes/usage/get.ts";
import { routes as adminScim } from "./routes/admin-scim/index.ts";
import { routes as scim } from "./routes/scim/index.ts";
import * as qstashHook from "./routes/hooks/qstash.ts";
import * as workflowHook from "./routes/hooks/workflow.ts";
import { routes as departments } from "./routes/departments/index.ts";
import { routes as permissions } from "./routes/permissions/index.ts";
import { routes as customers } from "./routes/customers/index.ts";
import { routes as calendar } from "./routes/calendar/index.ts";
import { routes as appointments } from "./routes/appointments/index.ts";
import { routes as tasks } from "./routes/tasks/index.ts";
import { routes as notes } from "./routes/notes/index.ts";
import { routes as portal } from "./routes/portal/index.ts";
import { routes as dashboard } from "./routes/dashboard/index.ts";
import { routes as automation } from "./routes/automation/index.ts";
import { routes as workflows } from "./routes/automation/workflows/index.ts";
import { routes as ai } from "./routes/ai/index.ts";
import type { RouteModule } from "./types.ts";

export const routes: RouteModule[] = [
  health,
  openapi,
  docs,
  meGet,
  meUpdateSettings,
  meListTenants,
  meSetActiveTenant,
  ...notifications,
  tenantsCreate,
  membersList,
  ...invitations,
  membersGet,
  membersUpdate,
  ...departments,
  ...permissions,
  ...customers,
  ...calendar,
  ...appointments,
  ...tasks,
  ...notes,
  ...dashboard,
  ...portal,
  ...automation,
  ...workflows,
  ...ai,
  usageGet,
  ...adminScim,
  ...scim,
  qstashHook,
  workflowHook,
];

/** Paths anyone may call without a token. Everything else must answer 401 to an anonymous call. */
export const PUBLIC_PATHS = new Set(["/healthz", "/openapi.json", "/docs"]);
