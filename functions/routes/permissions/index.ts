// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as get from "./get.ts";
import * as set from "./set.ts";
import * as reset from "./reset.ts";

export const routes: RouteModule[] = [get, set, reset];
