// The appointment follow-up (built-in template `appointment_follow_up`): for the appointment the
// triggering event names, a deterministic draft of a thank-you note to the customer, sent to the
// appointment's staff member to review and send themselves. The customer gets nothing from here.
// The draft is the step's output (the step log shows it); the message is exactly once per
// step (wf:{execution}:{step}), and waits out the staff member's quiet hours like every message.
import { z } from "zod";
import { StepError } from "../errors.ts";
import { sendMessage } from "../ports.ts";
import { FollowUpOutput } from "./outputs.ts";
import { defineAction, stepKey } from "./types.ts";

const Trigger = z.object({ data: z.object({ id: z.uuid() }) });

type Context = { user_id: string | null; title: string; starts_at: string | Date; status: string; customer_name: string | null };

export const draftFollowUp = defineAction({
  type: "draft_follow_up",
  output: FollowUpOutput,
  async run(ctx) {
    const trigger = Trigger.safeParse(ctx.trigger);
    if (!trigger.success) throw new StepError("invalid_input", "draft_follow_up needs an appointment event (data.id)", false);
    const appointmentId = trigger.data.data.id;
    const a = await ctx.job.tx((q) => q.one<Context>("select * from private.follow_up_context($1, $2)", [ctx.tenantId, appointmentId]));
    if (!a || !a.user_id) throw new StepError("appointment_not_found", `no appointment ${appointmentId} with a staff member`, false);
    const day = new Date(a.starts_at).toISOString().slice(0, 10);
    const who = a.customer_name ?? "there";
    const subject = `Follow-up draft: ${a.title} (${day})`;
    const text = [
      `A draft follow-up for your appointment "${a.title}" on ${day}. Review it and send it yourself; nothing was sent to the customer.`,
      "",
      `Hello ${who},`,
      `thank you for your visit on ${day}. If anything is still open, or you would like to book your next appointment, just reply to this message.`,
      "",
      "Kind regards",
    ].join("\n");
    const sent = await sendMessage(ctx.job, { tenantId: ctx.tenantId, userId: a.user_id, subject, text, dedupeKey: stepKey(ctx) });
    return { draft: { appointmentId, userId: a.user_id, subject, text }, sent };
  },
});
