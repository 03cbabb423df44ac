// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../../types.ts";
import * as list from "./list.ts";
import * as create from "./create.ts";
import * as revoke from "./revoke.ts";
import * as accept from "./accept.ts";

export const routes: RouteModule[] = [list, create, revoke, accept];
