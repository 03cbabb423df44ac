// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as get from "./get.ts";
import * as update from "./update.ts";
import * as verify from "./verify.ts";

export const routes: RouteModule[] = [get, update, verify];
