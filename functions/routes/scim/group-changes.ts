// A Groups PATCH becomes SQL statements, one per operation, in order, in one flight: Okta's
// shapes (remove `members[value eq "…"]`, add `members`, replace with a value object) and
// Microsoft Entra ID's ("Add"/"Remove" with path "members" and a value list, "Replace" of
// displayName). Nothing is applied in memory, so a 10,000-member group costs the same.
import { parse, type Filter } from "scim2-parse-filter";
import type { Queue } from "../../../shared/db/tx.ts";
import { MAX_OPERATIONS } from "../../lib/scim/constants.ts";
import { ScimError } from "../../lib/scim/errors.ts";
import type { PatchOp } from "../../lib/scim/patch.ts";
import { groupWrites } from "./groups-queries.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type GroupChange =
  | { kind: "add" | "keepOnly"; members: string[] }
  | { kind: "remove"; members: string[] | null }
  | { kind: "rename"; displayName: string }
  | { kind: "externalId"; externalId: string | null };

/** Member ids from `[{value}]` (or one `{value}`); anything that is not a User id is 400. */
export function memberIds(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (list.length > MAX_OPERATIONS) throw new ScimError(400, "tooMany", `${where}: at most ${MAX_OPERATIONS} members at once`);
  return list.map((m, i) => {
    const v = (m as { value?: unknown } | null)?.value;
    if (typeof v !== "string" || !UUID.test(v)) throw new ScimError(400, "invalidValue", `${where}.${i}.value must be the id of a User`);
    return v.toLowerCase();
  });
}

function displayName(v: unknown, where: string): string {
  if (typeof v !== "string" || v.trim().length === 0 || v.length > 200) throw new ScimError(400, "invalidValue", `${where} must be a non-empty string of at most 200 characters`);
  return v.trim();
}

function externalId(v: unknown, where: string): string | null {
  if (v === null) return null;
  if (typeof v !== "string" || v.trim().length === 0 || v.length > 255) throw new ScimError(400, "invalidValue", `${where} must be a string of at most 255 characters`);
  return v.trim();
}

/** `members[value eq "a" or value eq "b"]` → the ids it names. */
function filteredMembers(path: string): string[] {
  let f: Filter;
  try {
    f = parse(path);
  } catch {
    throw new ScimError(400, "invalidPath", `${path} is not a path of a Group`);
  }
  if (f.op !== "[]" || f.attrPath.toLowerCase() !== "members") throw new ScimError(400, "invalidPath", `${path} is not a path of a Group`);
  const ids: string[] = [];
  const walk = (x: Filter) => {
    if (x.op === "or") return x.filters.forEach(walk);
    if (x.op === "eq" && x.attrPath.toLowerCase() === "value" && typeof x.compValue === "string" && UUID.test(x.compValue)) return ids.push(x.compValue.toLowerCase());
    throw new ScimError(400, "invalidFilter", `${path}: only value eq "<User id>" (joined by or) selects members`);
  };
  walk(f.valFilter);
  return ids;
}

export function groupChanges(ops: PatchOp[]): GroupChange[] {
  const out: GroupChange[] = [];
  ops.forEach((o, i) => {
    const where = `Operations.${i}`;
    const path = o.path?.trim();
    const lower = path?.toLowerCase();
    if (!path) {
      if (!o.value || typeof o.value !== "object" || Array.isArray(o.value)) throw new ScimError(400, "invalidValue", `${where}.value must be an object of Group attributes`);
      for (const [k, v] of Object.entries(o.value)) {
        const key = k.toLowerCase();
        if (key === "displayname") out.push({ kind: "rename", displayName: displayName(v, `${where}.value.${k}`) });
        else if (key === "externalid") out.push({ kind: "externalId", externalId: externalId(v, `${where}.value.${k}`) });
        else if (key === "members") out.push(o.op === "replace" ? { kind: "keepOnly", members: memberIds(v, `${where}.value.members`) } : { kind: "add", members: memberIds(v, `${where}.value.members`) });
        else if (key !== "id" && key !== "schemas" && key !== "meta") throw new ScimError(400, "invalidPath", `${where}: ${k} is not an attribute of a Group`);
      }
      return;
    }
    if (lower === "members") {
      if (o.op === "remove") out.push({ kind: "remove", members: o.value === undefined ? null : memberIds(o.value, `${where}.value`) });
      else out.push(o.op === "replace" ? { kind: "keepOnly", members: memberIds(o.value, `${where}.value`) } : { kind: "add", members: memberIds(o.value, `${where}.value`) });
      return;
    }
    if (lower!.startsWith("members[")) {
      if (o.op !== "remove") throw new ScimError(400, "invalidPath", `${where}: ${o.op} takes the path "members"`);
      out.push({ kind: "remove", members: filteredMembers(path) });
      return;
    }
    if (lower === "displayname") {
      if (o.op === "remove") throw new ScimError(400, "mutability", "displayName is required");
      out.push({ kind: "rename", displayName: displayName(o.value, `${where}.value`) });
      return;
    }
    if (lower === "externalid") {
      out.push({ kind: "externalId", externalId: o.op === "remove" ? null : externalId(o.value, `${where}.value`) });
      return;
    }
    throw new ScimError(400, "invalidPath", `${where}: ${path} is not a path of a Group`);
  });
  return out;
}

/** Queues the changes in order (a replace of members is keepOnly, then add). */
export function applyGroupChanges(q: Queue, id: string, changes: GroupChange[]): Promise<unknown>[] {
  return changes.flatMap((ch) => {
    switch (ch.kind) {
      case "add": return ch.members.length ? [groupWrites.add(q, id, ch.members)] : [];
      case "keepOnly": return [groupWrites.keepOnly(q, id, ch.members), ...(ch.members.length ? [groupWrites.add(q, id, ch.members)] : [])];
      case "remove": return [groupWrites.remove(q, id, ch.members)];
      case "rename": return [groupWrites.rename(q, id, ch.displayName)];
      case "externalId": return [groupWrites.setExternalId(q, id, ch.externalId)];
    }
  });
}
