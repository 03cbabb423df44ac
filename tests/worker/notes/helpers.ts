// Shared by the note suites.
import { expect } from "vitest";
import { withAdmin } from "../../support/db.ts";
import { call, json } from "../../support/http.ts";
import type { SeededTenant, SeededUser } from "../../support/seed.ts";

export interface NoteBody {
  id: string;
  authorId: string;
  title: string;
  body: string;
  departmentId: string | null;
  sharedWithDepartment: boolean;
  customerId: string | null;
  sharedWithCustomer: boolean;
  createdAt: string;
  updatedAt: string;
}
export type Page<T> = { data: T[]; nextCursor: string | null };

export async function createNote(token: string, body: Record<string, unknown>): Promise<NoteBody> {
  const res = await call("/v1/notes", { token, body });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as NoteBody;
}

export async function noteTitles(token: string, path = "/v1/notes"): Promise<string[]> {
  const res = await call(path, { token });
  expect(res.status).toBe(200);
  return (await json<Page<NoteBody>>(res)).data.map((n) => n.title);
}

/** Moves a member to another department (as SCIM or an admin would). */
export async function moveTo(t: SeededTenant, person: SeededUser, department: "operations" | "sales" | "support") {
  await withAdmin((c) => c.query("update public.memberships set department_id = $3 where tenant_id = $1 and user_id = $2", [t.id, person.id, t.departments[department]]));
}
