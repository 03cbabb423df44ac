// One interface for every way a message reaches a person. A channel sends one message and
// returns the provider's id for it; it throws on any failure so the job is retried. The
// idempotency key is the effect row's id: a retried send of the same (reminder, channel) carries
// the same key, and a provider that honours it (Resend) keeps one message.
export type ChannelName = "email" | "telegram";
export const CHANNELS: readonly ChannelName[] = ["email", "telegram"];

export interface OutboundMessage {
  /** An email address, or a Telegram chat id. */
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
}

export interface Channel {
  name: ChannelName;
  send(message: OutboundMessage): Promise<{ providerId: string }>;
}
