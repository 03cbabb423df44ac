// Built-in automation templates (issue 13, item 5): list, enable, disable.
import type { RouteModule } from "../../../types.ts";
import * as disable from "./disable.ts";
import * as enable from "./enable.ts";
import * as list from "./list.ts";

export const routes: RouteModule[] = [list, enable, disable];
