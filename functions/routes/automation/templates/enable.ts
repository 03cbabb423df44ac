import { toggleRoute } from "./toggle.ts";

export const { route, register } = toggleRoute(true, {
  summary: "Turn a built-in template on (automation.manage)",
  description:
    "Idempotent: enabling an enabled template changes nothing. appointment_follow_up creates its workflow on first enable (version 1, trigger appointment.completed) and activates it after; daily_digest sends each staff member's first digest at the next 08:00 in their time zone.",
});
