import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../../../shared/schemas/common.ts";
import { TEMPLATE_KEYS } from "../../../lib/templates.ts";

export const TemplateKeyParam = z.object({
  key: z.enum(TEMPLATE_KEYS).openapi({ param: { name: "key", in: "path" }, example: "daily_digest" }),
});

export const Template = z
  .object({
    key: z.enum(TEMPLATE_KEYS),
    title: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    enabledAt: Timestamp.nullable().openapi({ description: "Since when it is on (null: never turned on, or on by default)" }),
    updatedAt: Timestamp.nullable(),
    workflowId: z.uuid().nullable().openapi({ description: "The workflow this template runs as (appointment_follow_up), once enabled" }),
  })
  .openapi("AutomationTemplate");

export const TemplateList = z.object({ data: z.array(Template) }).openapi("AutomationTemplateList");
