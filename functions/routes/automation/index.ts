// Every route module of this area, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as getSettings from "./get-settings.ts";
import * as updateSettings from "./update-settings.ts";
import * as listReminders from "./list-reminders.ts";
import * as createReminder from "./create-reminder.ts";
import * as getReminder from "./get-reminder.ts";
import * as cancelReminder from "./cancel-reminder.ts";

export const routes: RouteModule[] = [getSettings, updateSettings, listReminders, createReminder, getReminder, cancelReminder];
