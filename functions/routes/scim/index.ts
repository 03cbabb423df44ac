// SCIM 2.0 (RFC 7644) at /scim/v2, per tenant by its bearer token. Plain routes, not OpenAPI
// operations: the protocol describes itself (ServiceProviderConfig, ResourceTypes, Schemas),
// speaks application/scim+json with SCIM error bodies, and is driven by IdPs, not API clients.
import type { RouteModule } from "../../types.ts";
import * as discovery from "./discovery.ts";
import * as usersList from "./users-list.ts";
import * as usersCreate from "./users-create.ts";
import * as usersGet from "./users-get.ts";
import * as usersReplace from "./users-replace.ts";
import * as usersPatch from "./users-patch.ts";
import * as usersDelete from "./users-delete.ts";
import * as groupsList from "./groups-list.ts";
import * as groupsCreate from "./groups-create.ts";
import * as groupsGet from "./groups-get.ts";
import * as groupsReplace from "./groups-replace.ts";
import * as groupsPatch from "./groups-patch.ts";
import * as groupsDelete from "./groups-delete.ts";

export const routes: RouteModule[] = [
  discovery,
  usersList, usersCreate, usersGet, usersReplace, usersPatch, usersDelete,
  groupsList, groupsCreate, groupsGet, groupsReplace, groupsPatch, groupsDelete,
];
