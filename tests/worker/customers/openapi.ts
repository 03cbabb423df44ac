// Asserts that the generated OpenAPI document describes an area's routes: tag, summary, bearer
// security and the problem responses for the given statuses.
import { expect } from "vitest";
import { call, json } from "../../support/http.ts";

type Operation = { tags?: string[]; summary?: string; security?: unknown; responses: Record<string, { content?: Record<string, unknown> }> };

export async function expectDocumented(tag: string, operations: [method: string, path: string, statuses: string[]][]) {
  const doc = await json<{ paths: Record<string, Record<string, Operation>> }>(await call("/openapi.json"));
  for (const [method, path, statuses] of operations) {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path} is documented`).toBeDefined();
    expect(op!.tags).toEqual([tag]);
    expect(op!.summary).toBeTruthy();
    expect(op!.security).toEqual([{ bearerAuth: [] }]);
    for (const status of ["400", "401", "403", "500", ...statuses]) {
      expect(op!.responses, `${method} ${path} documents ${status}`).toHaveProperty(status);
    }
    expect(Object.keys(op!.responses["400"]!.content ?? {})).toEqual(["application/problem+json"]);
  }
}
