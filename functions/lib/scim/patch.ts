// PATCH (RFC 7644 §3.5.2) for Users, with scim-patch applying the operations to the resource.
// Before that, what IdPs send is normalised: Microsoft Entra ID capitalises ops ("Replace",
// "Add") and sends booleans as strings ("False"), Okta sends a value object without a path.
import { scimPatch, type ScimPatchOperation, type ScimResource } from "scim-patch";
import { toBoolean } from "./booleans.ts";
import { MAX_OPERATIONS, SCHEMAS } from "./constants.ts";
import { ScimError } from "./errors.ts";

export interface PatchOp {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

const BOOLEAN_ATTRIBUTES = new Set(["active", "primary"]);

/** Booleans given as strings become booleans wherever a boolean attribute is set. */
function normaliseValue(path: string | undefined, value: unknown): unknown {
  const last = path?.split(/[.:]/).pop()?.replace(/\[.*$/, "").toLowerCase();
  if (last && BOOLEAN_ATTRIBUTES.has(last)) return toBoolean(value);
  if (Array.isArray(value)) return value.map((v) => normaliseValue(undefined, v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, BOOLEAN_ATTRIBUTES.has(k.toLowerCase()) ? toBoolean(v) : normaliseValue(undefined, v)]));
  }
  return value;
}

// scim-patch walks paths (and the keys of a path-less value, which it also reads as paths) into
// plain objects, so a segment naming a member of Object.prototype (`__proto__.x`, `constructor`,
// `toString.x`) would write onto the prototype every request of this isolate shares
// (GHSA-9m6g-wc8r-q59c, GHSA-2mhw-wcx5-v3xj; 0.8.3 is the newest release). No SCIM attribute has
// such a name, so any such segment is refused before scim-patch sees the operation.
const FORBIDDEN_SEGMENT = (segment: string) => segment === "prototype" || segment in Object.prototype;

function assertSafePath(path: string, where: string): void {
  for (const segment of path.split(/[^A-Za-z0-9_$]+/)) {
    if (segment && FORBIDDEN_SEGMENT(segment)) throw new ScimError(400, "invalidPath", `${where} names "${segment}", which is not an attribute`);
  }
}

function assertSafeKeys(value: unknown, where: string, depth = 0): void {
  if (depth > 10) throw new ScimError(400, "invalidValue", `${where} is nested too deeply`);
  if (Array.isArray(value)) value.forEach((v, i) => assertSafeKeys(v, `${where}.${i}`, depth + 1));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      assertSafePath(k, `${where} key`);
      assertSafeKeys(v, `${where}.${k}`, depth + 1);
    }
  }
}

/** Checks the PatchOp envelope and returns its operations, normalised. */
export function patchOperations(body: unknown): PatchOp[] {
  const b = body as { schemas?: unknown; Operations?: unknown } | null;
  if (!b || typeof b !== "object" || !Array.isArray(b.schemas) || !b.schemas.includes(SCHEMAS.patch)) {
    throw new ScimError(400, "invalidSyntax", `a PATCH body names the schema ${SCHEMAS.patch}`);
  }
  const ops = (b as { Operations?: unknown }).Operations;
  if (!Array.isArray(ops) || ops.length === 0 || ops.length > MAX_OPERATIONS) {
    throw new ScimError(400, "invalidSyntax", `Operations must list 1 to ${MAX_OPERATIONS} operations`);
  }
  return ops.map((raw, i) => {
    const o = raw as { op?: unknown; path?: unknown; value?: unknown } | null;
    const op = typeof o?.op === "string" ? o.op.toLowerCase() : "";
    if (op !== "add" && op !== "remove" && op !== "replace") throw new ScimError(400, "invalidSyntax", `Operations.${i}.op must be add, remove or replace`);
    if (o!.path !== undefined && (typeof o!.path !== "string" || o!.path.length > 500)) throw new ScimError(400, "invalidPath", `Operations.${i}.path must be a string`);
    const path = o!.path as string | undefined;
    if (path) assertSafePath(path, `Operations.${i}.path`);
    if ("value" in o!) assertSafeKeys(o!.value, `Operations.${i}.value`);
    if (op === "remove" && !path) throw new ScimError(400, "noTarget", `Operations.${i}: remove needs a path`);
    if (op !== "remove" && !("value" in o!)) throw new ScimError(400, "invalidValue", `Operations.${i}: ${op} needs a value`);
    return { op, ...(path ? { path } : {}), ...("value" in o! ? { value: normaliseValue(path, o!.value) } : {}) } as PatchOp;
  });
}

/** Applies the operations to a resource with scim-patch; its refusals become 400s. */
export function applyPatch<T extends Record<string, unknown>>(resource: T, ops: PatchOp[]): T {
  for (const o of ops) {
    if (o.path && /^(id|meta(\..*)?)$/i.test(o.path)) throw new ScimError(400, "mutability", `${o.path} cannot be changed`);
  }
  try {
    return scimPatch(resource as unknown as ScimResource, ops as ScimPatchOperation[], { mutateDocument: false, treatMissingAsAdd: true }) as unknown as T;
  } catch (e) {
    const code = (e as { scimCode?: string }).scimCode;
    const scimType = code === "noTarget" || code === "invalidPath" || code === "invalidValue" || code === "invalidSyntax" ? code : "invalidValue";
    throw new ScimError(400, scimType, (e as Error).message);
  }
}

export interface ScalarPatch {
  active?: boolean;
  displayName?: string | null;
  externalId?: string | null;
}

const SCALARS: Record<string, keyof ScalarPatch> = { active: "active", displayname: "displayName", externalid: "externalId" };

/**
 * The common PATCHes — deactivate, reactivate, rename (Okta's `{"op": "replace", "value":
 * {"active": false}}`, Entra's `{"op": "Replace", "path": "active", "value": "False"}`) — only set
 * columns, so they need no read first: the SQL update is the whole change, in one flight. Null
 * when any operation does more (scim-patch then applies it to the resource as read).
 */
export function scalarPatch(ops: PatchOp[]): ScalarPatch | null {
  const out: ScalarPatch = {};
  const set = (name: string, value: unknown): boolean => {
    const key = SCALARS[name.toLowerCase()];
    if (!key) return false;
    if (key === "active") {
      if (typeof value !== "boolean") return false;
      out.active = value;
      return true;
    }
    if (value !== null && (typeof value !== "string" || value.trim() === "" || value.length > (key === "displayName" ? 200 : 255))) return false;
    out[key] = value === null ? null : value.trim();
    return true;
  };
  for (const o of ops) {
    if (o.op === "remove") return null;
    if (o.path !== undefined) {
      if (!set(o.path, o.value)) return null;
      continue;
    }
    if (!o.value || typeof o.value !== "object" || Array.isArray(o.value)) return null;
    for (const [k, v] of Object.entries(o.value)) {
      if (k === "id" || k === "schemas") continue;
      if (!set(k, v)) return null;
    }
  }
  return out;
}
