// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../../types.ts";
import * as list from "./list.ts";
import * as create from "./create.ts";
import * as get from "./get.ts";
import * as update from "./update.ts";
import * as activate from "./activate.ts";
import * as deactivate from "./deactivate.ts";
import * as run from "./run.ts";
import * as listExecutions from "./list-executions.ts";
import * as getExecution from "./get-execution.ts";
import * as getWebhook from "./get-webhook.ts";
import * as rotateWebhookSecret from "./rotate-webhook-secret.ts";

export const routes: RouteModule[] = [list, create, get, update, activate, deactivate, run, listExecutions, getExecution, getWebhook, rotateWebhookSecret];
