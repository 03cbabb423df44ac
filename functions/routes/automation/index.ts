// Automation (issue 13): settings and ad-hoc reminders, built-in templates, the domain-event log and outbound
// webhooks, in the order of the docs.
import type { RouteModule } from "../../types.ts";
import * as cancelReminder from "./cancel-reminder.ts";
import * as createReminder from "./create-reminder.ts";
import { routes as events } from "./events/index.ts";
import * as getReminder from "./get-reminder.ts";
import * as getSettings from "./get-settings.ts";
import * as listReminders from "./list-reminders.ts";
import { routes as templates } from "./templates/index.ts";
import * as updateSettings from "./update-settings.ts";
import { routes as webhooks } from "./webhooks/index.ts";

export const routes: RouteModule[] = [getSettings, updateSettings, listReminders, createReminder, getReminder, cancelReminder, ...templates, ...events, ...webhooks];
