// Telegram through the Bot API's sendMessage over fetch (no client library needed: one call).
// The Bot API has no idempotency key, so exactly once rests on the effect row's claim (a lease:
// a concurrent delivery waits instead of sending too) and on marking it sent right after.
import type { AppEnv } from "../../../shared/env.ts";
import type { Channel, OutboundMessage } from "./types.ts";

interface TelegramReply {
  ok: boolean;
  result?: { message_id: number };
  error_code?: number;
  description?: string;
}

export function telegramChannel(env: Pick<AppEnv, "TELEGRAM_API_URL" | "TELEGRAM_BOT_TOKEN">): Channel {
  return {
    name: "telegram",
    async send(message: OutboundMessage) {
      if (!env.TELEGRAM_BOT_TOKEN) throw new Error("Telegram is not configured (TELEGRAM_BOT_TOKEN)");
      const url = `${env.TELEGRAM_API_URL.replace(/\/$/, "")}/bot${env.TELEGRAM_BOT_TOKEN}/sendMessage`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: message.to, text: `${message.subject}\n\n${message.text}`, disable_web_page_preview: true }),
        // Well inside the 30 s claim lease: a slower send would let a retry take the claim over
        // and send again (the Bot API has no idempotency key).
        signal: AbortSignal.timeout(10_000),
      });
      const reply = (await response.json().catch(() => ({ ok: false }))) as TelegramReply;
      // The token is part of the URL: never put the URL in an error.
      if (!response.ok || !reply.ok || !reply.result) throw new Error(`Telegram refused the message: ${reply.error_code ?? response.status} ${reply.description ?? ""}`.trim());
      return { providerId: `${message.to}:${reply.result.message_id}` };
    },
  };
}
