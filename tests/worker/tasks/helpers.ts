// Shared by the task suites: create through the API and read the JSON back, typed.
import { expect } from "vitest";
import { call, json } from "../../support/http.ts";

export interface TaskBody {
  id: string;
  title: string;
  description: string | null;
  status: string;
  assignedTo: string | null;
  createdBy: string;
  customerId: string | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export type Page<T> = { data: T[]; nextCursor: string | null };

export async function createTask(token: string, body: Record<string, unknown>): Promise<TaskBody> {
  const res = await call("/v1/tasks", { token, body });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as TaskBody;
}

export async function listIds(path: string, token: string): Promise<string[]> {
  const res = await call(path, { token });
  expect(res.status).toBe(200);
  return (await json<Page<{ id: string }>>(res)).data.map((r) => r.id);
}
