// Reads the outbound sink (scripts/outbound-sink/server.ts): every email and Telegram message the
// Worker sent, as the stand-in stored it.
import { inject } from "vitest";

export interface SinkMessage {
  id: string;
  channel: "email" | "telegram";
  sender: string | null;
  recipient: string;
  subject: string | null;
  body: string;
  idempotencyKey: string | null;
  createdAt: string;
}

export async function sinkMessages(filter: { recipient?: string; channel?: "email" | "telegram" } = {}): Promise<SinkMessage[]> {
  const url = new URL("/messages", inject("sinkUrl"));
  if (filter.recipient) url.searchParams.set("recipient", filter.recipient);
  if (filter.channel) url.searchParams.set("channel", filter.channel);
  const res = await fetch(url, { headers: { authorization: `Bearer ${inject("sinkKey")}` } });
  if (res.status !== 200) throw new Error(`the sink answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: SinkMessage[] }).data;
}

/** A Telegram chat id no other test uses. */
export const freshChatId = () => String(100_000_000 + Math.floor(Math.random() * 900_000_000));
