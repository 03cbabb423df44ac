// Assertions every route test uses: problem+json bodies from the one error table.
import { expect } from "vitest";

export async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(res.status, `expected ${status} ${code}, got ${res.status}: ${text}`).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://docs.ai-office.dev/errors/${code}` });
  expect(typeof body.title).toBe("string");
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  return body;
}
