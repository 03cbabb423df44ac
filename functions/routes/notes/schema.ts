import { z } from "@hono/zod-openapi";
import { Timestamp, Uuid } from "../../../shared/schemas/common.ts";
import { pageOf } from "../../../shared/schemas/pagination.ts";

const Title = z.string().trim().min(1).max(200);
const Body = z.string().max(20_000);

export const Note = z
  .object({
    id: Uuid,
    authorId: Uuid,
    title: z.string(),
    body: z.string(),
    departmentId: Uuid.nullable().openapi({ description: "The author's department, when shared with it" }),
    sharedWithDepartment: z.boolean(),
    customerId: Uuid.nullable(),
    sharedWithCustomer: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Note");

export const NotePage = pageOf(Note, "NotePage");

export const NoteCreate = z
  .strictObject({
    title: Title,
    body: Body.optional(),
    shareWithDepartment: z
      .boolean()
      .optional()
      .openapi({ description: "Share with the author's own department (readable there with notes.read_team)" }),
    customerId: Uuid.nullable().optional().openapi({ description: "A customer the author can see" }),
    shareWithCustomer: z.boolean().optional().openapi({ description: "Show the note to that customer in their portal" }),
  })
  .refine((n) => !n.shareWithCustomer || !!n.customerId, {
    message: "shareWithCustomer needs a customerId",
    path: ["shareWithCustomer"],
  })
  .openapi("NoteCreate");

export const NotePatch = z
  .strictObject({
    title: Title.optional(),
    body: Body.optional(),
    shareWithDepartment: z.boolean().optional(),
    customerId: Uuid.nullable().optional(),
    shareWithCustomer: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "give at least one field to change" })
  .refine((p) => !(p.shareWithCustomer && p.customerId === null), {
    message: "shareWithCustomer needs a customerId",
    path: ["shareWithCustomer"],
  })
  .openapi("NotePatch", { description: "Only the author edits a note." });
