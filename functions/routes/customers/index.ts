// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as list from "./list.ts";
import * as get from "./get.ts";
import * as create from "./create.ts";
import * as update from "./update.ts";
import * as remove from "./delete.ts";

export const routes: RouteModule[] = [list, get, create, update, remove];
