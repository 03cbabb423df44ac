import { toggleRoute } from "./toggle.ts";

export const { route, register } = toggleRoute(false, {
  summary: "Turn a built-in template off (automation.manage)",
  description:
    "Idempotent. appointment_reminders off: no reminders are queued, and queued ones are not sent. appointment_follow_up off: its workflow is deactivated (kept, with its executions). daily_digest off: no more digests.",
});
