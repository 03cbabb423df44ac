// The query of a SCIM list: filter, startIndex (1-based), count, attributes, excludedAttributes.
// Out-of-range paging is clamped as RFC 7644 §3.4.2.4 says (startIndex < 1 is 1; count < 0 is 0).
import { DEFAULT_COUNT, MAX_COUNT } from "./constants.ts";
import { ScimError } from "./errors.ts";

export interface ListQuery {
  filter: string | undefined;
  startIndex: number;
  count: number;
  attributes: string | undefined;
  excludedAttributes: string | undefined;
}

function integer(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw new ScimError(400, "invalidValue", `${name} must be an integer`);
  return Number(raw);
}

export function listQuery(query: (name: string) => string | undefined): ListQuery {
  return {
    filter: query("filter"),
    startIndex: Math.max(1, integer("startIndex", query("startIndex"), 1)),
    count: Math.min(MAX_COUNT, Math.max(0, integer("count", query("count"), DEFAULT_COUNT))),
    attributes: query("attributes"),
    excludedAttributes: query("excludedAttributes"),
  };
}
