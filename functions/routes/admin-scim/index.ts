// The control plane of SCIM provisioning (owners/admins): tokens and group mappings.
import type { RouteModule } from "../../types.ts";
import * as tokensList from "./tokens-list.ts";
import * as tokensCreate from "./tokens-create.ts";
import * as tokensRotate from "./tokens-rotate.ts";
import * as tokensRevoke from "./tokens-revoke.ts";
import * as mappingsList from "./mappings-list.ts";
import * as mappingsSet from "./mappings-set.ts";
import * as mappingsDelete from "./mappings-delete.ts";

export const routes: RouteModule[] = [tokensList, tokensCreate, tokensRotate, tokensRevoke, mappingsList, mappingsSet, mappingsDelete];
