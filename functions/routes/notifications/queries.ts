// The caller's notification settings in the current business. RLS keeps them to their own row.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { NotificationSettings, NotificationSettingsInput } from "./schema.ts";

type Settings = z.infer<typeof NotificationSettings>;

// A custom address counts once verified (the account email always does); until then emails keep
// going to the account email and Telegram gets nothing (private.notification_target).
const VERIFIED = (channel: string, address: string) =>
  `exists (select 1 from public.notification_destinations d where d.tenant_id = m.tenant_id and d.user_id = m.user_id
     and d.channel = '${channel}' and d.address = ${address} and d.status = 'verified')`;
const EMAIL_VERIFIED = `(lower(ns.email) = lower(m.email) or ${VERIFIED("email", "ns.email")})`;

const SELECT = `select json_build_object('email', coalesce(ns.email_enabled, true), 'telegram', coalesce(ns.telegram_enabled, false)) as channels,
    ns.email, case when ns.email is null or ${EMAIL_VERIFIED} then coalesce(ns.email, m.email) else m.email end as "effectiveEmail",
    ns.telegram_chat_id as "telegramChatId",
    json_build_object(
      'email', case when ns.email is null then null when ${EMAIL_VERIFIED} then 'verified' else 'pending' end,
      'telegram', case when ns.telegram_chat_id is null then null when ${VERIFIED("telegram", "ns.telegram_chat_id")} then 'verified' else 'pending' end
    ) as verification,
    case when ns.quiet_start is null then null
      else json_build_object('start', to_char(ns.quiet_start, 'HH24:MI'), 'end', to_char(ns.quiet_end, 'HH24:MI')) end as "quietHours",
    coalesce(s.timezone, 'UTC') as timezone, ns.updated_at as "updatedAt"`;

export function selectNotificationSettings(q: Queue) {
  return q.one<Settings>(
    `${SELECT}
     from public.memberships m
     left join public.notification_settings ns on ns.tenant_id = m.tenant_id and ns.user_id = m.user_id
     left join public.user_settings s on s.user_id = m.user_id
     where m.tenant_id = (select private.current_tenant()) and m.user_id = (select private.current_user_id())`,
  );
}

export function saveNotificationSettings(q: Queue, input: z.infer<typeof NotificationSettingsInput>) {
  return q.one<Settings>(
    `with saved as (
       insert into public.notification_settings as ns (tenant_id, user_id, email_enabled, telegram_enabled, email, telegram_chat_id, quiet_start, quiet_end)
       values ((select private.current_tenant()), (select private.current_user_id()), $1, $2, $3, $4, $5::time, $6::time)
       on conflict (tenant_id, user_id) do update
         set email_enabled = excluded.email_enabled, telegram_enabled = excluded.telegram_enabled, email = excluded.email,
             telegram_chat_id = excluded.telegram_chat_id, quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = now()
       returning *
     )
     ${SELECT}
     from saved ns
     join public.memberships m on m.tenant_id = ns.tenant_id and m.user_id = ns.user_id
     left join public.user_settings s on s.user_id = ns.user_id`,
    [input.channels.email, input.channels.telegram, input.email, input.telegramChatId, input.quietHours?.start ?? null, input.quietHours?.end ?? null],
  );
}

export type VerifyOutcome = { outcome: "verified" | "wrong" | "expired" | "locked" | "not_sent"; attempts_left: number };

/** One attempt at the caller's newest pending request of the channel (private.verify_destination). */
export function verifyDestination(q: Queue, channel: string, code: string) {
  return q.one<VerifyOutcome>("select outcome, attempts_left from private.verify_destination($1, $2)", [channel, code]);
}
