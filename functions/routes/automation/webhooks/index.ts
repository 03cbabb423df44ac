// Outbound webhooks: endpoints, their delivery log, replay.
import type { RouteModule } from "../../../types.ts";
import * as list from "./list.ts";
import * as create from "./create.ts";
import * as get from "./get.ts";
import * as update from "./update.ts";
import * as remove from "./delete.ts";
import * as rotateSecret from "./rotate-secret.ts";
import * as enable from "./enable.ts";
import * as deliveriesList from "./deliveries-list.ts";
import * as replay from "./replay.ts";

export const routes: RouteModule[] = [list, create, get, update, remove, rotateSecret, enable, deliveriesList, replay];
