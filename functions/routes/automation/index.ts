// Automation (issue 13): the domain-event log and outbound webhooks.
import type { RouteModule } from "../../types.ts";
import * as eventsList from "./events/list.ts";
import { routes as webhooks } from "./webhooks/index.ts";

export const routes: RouteModule[] = [eventsList, ...webhooks];
