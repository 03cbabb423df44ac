// SCIM 2.0 (RFC 7644) at /scim/v2, per tenant by its bearer token. Plain routes, not OpenAPI
// operations: the protocol describes itself (ServiceProviderConfig, ResourceTypes, Schemas),
// speaks application/scim+json with SCIM error bodies, and is driven by IdPs, not API clients.
import type { RouteModule } from "../../types.ts";
import * as discovery from "./discovery.ts";
import * as users from "./users.ts";
import * as groups from "./groups.ts";

export const routes: RouteModule[] = [discovery, users, groups];
