// What every response must satisfy, whatever was sent: no 5xx, and every refusal an RFC 9457
// problem from the closed error table whose status and request id agree with the response.
import { errors, PROBLEM_CONTENT_TYPE } from "../../../shared/errors.ts";

export interface Outcome {
  status: number;
  contentType: string | null;
  requestId: string | null;
  text: string;
}

/** Reads what the property needs (and at most 64 KB of body, for the report). */
export async function outcomeOf(res: Response): Promise<Outcome> {
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type"), requestId: res.headers.get("x-request-id"), text: text.slice(0, 65_536) };
}

/** 503 is the API's documented answer when a dependency (Postgres, Redis) does not answer in time. */
export const DEGRADED = 503;

/**
 * The violations of the response properties, or [] when the response is acceptable. `documented`:
 * the content types the operation's OpenAPI entry lists for this status (e.g. /healthz's 503 JSON).
 */
export function violations(outcome: Outcome, method: string, documented: string[] = []): string[] {
  const problems: string[] = [];
  const { status } = outcome;
  if (status >= 500 && status !== DEGRADED) problems.push(`${status} (a 5xx)`);
  if (!outcome.requestId) problems.push("no x-request-id header");
  if (status >= 200 && status < 300) return problems;
  const type = outcome.contentType?.split(";")[0]?.trim() ?? null;
  if (type !== PROBLEM_CONTENT_TYPE && type !== null && documented.includes(type)) return problems;
  if (outcome.contentType !== PROBLEM_CONTENT_TYPE) problems.push(`content-type ${JSON.stringify(outcome.contentType)}, not ${PROBLEM_CONTENT_TYPE}`);
  if (method === "HEAD") return problems;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(outcome.text) as Record<string, unknown>;
  } catch {
    problems.push("the body is not JSON");
    return problems;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return [...problems, "the body is not a JSON object"];
  const code = body.code;
  if (typeof code !== "string" || !Object.hasOwn(errors, code)) problems.push(`code ${JSON.stringify(code)} is not in the error table`);
  else if (errors[code as keyof typeof errors].status !== status) problems.push(`code ${code} belongs to ${errors[code as keyof typeof errors].status}, not ${status}`);
  if (body.status !== status) problems.push(`body status ${JSON.stringify(body.status)} ≠ HTTP ${status}`);
  if (body.requestId !== outcome.requestId) problems.push(`requestId ${JSON.stringify(body.requestId)} ≠ x-request-id ${JSON.stringify(outcome.requestId)}`);
  if (typeof body.type !== "string" || typeof body.title !== "string") problems.push("type or title missing");
  return problems;
}
