// The channels configured for this environment, by name.
import type { AppEnv } from "../../../shared/env.ts";
import { emailChannel } from "./email.ts";
import { telegramChannel } from "./telegram.ts";
import type { Channel, ChannelName } from "./types.ts";

export function channels(env: AppEnv): Record<ChannelName, Channel> {
  return { email: emailChannel(env), telegram: telegramChannel(env) };
}

export type { Channel, ChannelName, OutboundMessage } from "./types.ts";
export { CHANNELS } from "./types.ts";
