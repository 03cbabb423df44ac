// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as list from "./list.ts";
import * as get from "./get.ts";
import * as create from "./create.ts";
import * as update from "./update.ts";
import * as remove from "./delete.ts";
import * as listComments from "./list-comments.ts";
import * as createComment from "./create-comment.ts";
import * as listTimeLogs from "./list-time-logs.ts";
import * as createTimeLog from "./create-time-log.ts";

export const routes: RouteModule[] = [list, get, create, update, remove, listComments, createComment, listTimeLogs, createTimeLog];
