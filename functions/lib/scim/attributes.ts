// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5) on rendered resources: top-level
// names, sub-attributes (name.givenName) and extension attributes by URN
// (urn:…:enterprise:2.0:User:department), case-insensitively. id and schemas are always returned.
import { SCHEMAS } from "./constants.ts";
import { ScimError } from "./errors.ts";

type Resource = Record<string, unknown>;
const ALWAYS = new Set(["id", "schemas"]);

function split(item: string): [string, string | null] {
  const lower = item.toLowerCase();
  for (const urn of [SCHEMAS.enterprise, SCHEMAS.user, SCHEMAS.group]) {
    if (lower === urn.toLowerCase()) return [urn, null];
    if (lower.startsWith(`${urn.toLowerCase()}:`)) {
      const rest = item.slice(urn.length + 1);
      return urn === SCHEMAS.enterprise ? [urn, rest] : split(rest);
    }
  }
  const dot = item.indexOf(".");
  return dot < 0 ? [item, null] : [item.slice(0, dot), item.slice(dot + 1)];
}

const keyOf = (r: Resource, name: string) => Object.keys(r).find((k) => k.toLowerCase() === name.toLowerCase());

function parseList(text: string | undefined): [string, string | null][] | null {
  if (text === undefined || text.trim() === "") return null;
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length > 100 || items.some((i) => i.length > 300)) throw new ScimError(400, "invalidValue", "too many or too long attribute names");
  return items.map(split);
}

export interface Projection {
  include: [string, string | null][] | null;
  exclude: [string, string | null][] | null;
}

export const projection = (attributes?: string, excludedAttributes?: string): Projection => ({
  include: parseList(attributes),
  exclude: parseList(excludedAttributes),
});

/** Whether a top-level attribute is wanted at all (e.g. skip reading a group's members). */
export function wants(p: Projection, name: string): boolean {
  const n = name.toLowerCase();
  if (p.include) return p.include.some(([top]) => top.toLowerCase() === n);
  return !p.exclude?.some(([top, sub]) => top.toLowerCase() === n && sub === null);
}

export function project(r: Resource, p: Projection): Resource {
  let out: Resource = r;
  if (p.include) {
    out = {};
    for (const k of Object.keys(r)) if (ALWAYS.has(k)) out[k] = r[k];
    for (const [top, sub] of p.include) {
      const k = keyOf(r, top);
      if (!k) continue;
      const v = r[k];
      if (sub === null || typeof v !== "object" || v === null) out[k] = v;
      else if (Array.isArray(v)) {
        const prev = out[k] as Resource[] | undefined;
        out[k] = (v as Resource[]).map((e, i) => ({ ...prev?.[i], ...pick(e, sub) }));
      }
      else out[k] = { ...(out[k] as Resource | undefined), ...pick(v as Resource, sub) };
    }
  }
  if (p.exclude) {
    out = { ...out };
    for (const [top, sub] of p.exclude) {
      const k = keyOf(out, top);
      if (!k || ALWAYS.has(k)) continue;
      if (sub === null) delete out[k];
      else if (out[k] && typeof out[k] === "object" && !Array.isArray(out[k])) {
        const inner = { ...(out[k] as Resource) };
        const sk = keyOf(inner, sub);
        if (sk) delete inner[sk];
        out[k] = inner;
      }
    }
  }
  return out;
}

function pick(r: Resource, sub: string): Resource {
  const k = keyOf(r, sub);
  return k ? { [k]: r[k] } : {};
}
