// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as list from "./list.ts";
import * as createEvent from "./create-event.ts";
import * as getEvent from "./get-event.ts";
import * as updateEvent from "./update-event.ts";
import * as cancelEvent from "./cancel-event.ts";

export const routes: RouteModule[] = [list, createEvent, getEvent, updateEvent, cancelEvent];
