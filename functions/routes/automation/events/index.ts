// The domain-event log (read side). Registered from functions/routes.ts beside the other
// automation areas (webhooks here; channels/reminders and workflows have their own index files).
import type { RouteModule } from "../../../types.ts";
import * as list from "./list.ts";

export const routes: RouteModule[] = [list];
