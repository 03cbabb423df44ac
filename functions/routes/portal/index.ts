// Every route module of this area, in the order of the docs. The portal is read-only.
import type { RouteModule } from "../../types.ts";
import * as dashboard from "./dashboard.ts";
import * as appointments from "./list-appointments.ts";
import * as tasks from "./list-tasks.ts";
import * as notes from "./list-notes.ts";

export const routes: RouteModule[] = [dashboard, appointments, tasks, notes];
