// The API's operations as the attack suite sees them, read from the generated OpenAPI document:
// where each one takes ids (path and query parameters, top-level body fields: format uuid, or a
// name ending in Id/id/Ids/_id, or described as an id), which table such an id addresses (from
// its name or the path segment before it), whether it is tenant-scoped (it documents
// `tenant_mismatch`), and a request that passes its validation, from each schema's example,
// enum, default or type.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Parameter = { name: string; in: "path" | "query" | "header"; required?: boolean; schema: Schema };
type RawOperation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
  responses?: Record<string, { description?: string }>;
  security?: Record<string, unknown>[];
};
export type OpenApiDocument = { paths: Record<string, Record<string, RawOperation>>; components?: { schemas?: Record<string, Schema> } };

export interface IdSlot {
  in: "path" | "query" | "body";
  name: string;
  /** The body field holds a list of ids. */
  list: boolean;
  /** The table whose ids belong here, or "*" when nothing says. */
  table: string;
}

export interface Operation {
  key: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | undefined;
  /** Acts in the token's tenant (documents tenant_mismatch): a foreign host or a stale token is refused. */
  tenantScoped: boolean;
  /** Authenticated by a bearer access token (not public, not a signed webhook). */
  bearer: boolean;
  slots: IdSlot[];
}

const ID_NAME = /(^id$|Ids?$|_ids?$)/;
const ID_TEXT = /\b(user )?id\b/i;
// A word in an id's name → the table it addresses; people are members, by user id.
const PEOPLE = new Set(["user", "member", "assigned", "assignee", "attendee", "owner", "author", "created", "creator"]);
const TABLE_ALIASES: Record<string, string> = { event: "calendar_events", webhook: "webhook_endpoints", delivery: "webhook_deliveries" };

export function resolver(doc: OpenApiDocument) {
  const resolve = (s: Schema): Schema => {
    const r = s.$ref ? resolve(doc.components!.schemas![s.$ref.split("/").pop()!]!) : s;
    return r.allOf ? Object.assign({}, ...r.allOf.map(resolve)) : r;
  };
  return resolve;
}

const isUuid = (s: Schema) => s.format === "uuid" || (s.anyOf ?? s.oneOf ?? []).some((a) => a.format === "uuid");

function tableFor(name: string, segment: string | undefined, tables: string[]): string {
  const words = (name === "id" && segment ? segment.replace(/s$/, "") : name.replace(/(Ids?|_ids?)$/, ""))
    .split(/(?=[A-Z])|[_-]/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
  for (const w of words) {
    if (PEOPLE.has(w)) return "memberships";
    const table = TABLE_ALIASES[w] ?? tables.find((t) => t === `${w}s` || t.endsWith(`_${w}s`));
    if (table) return table;
  }
  return "*";
}

/** Every operation of the document, with its id slots mapped onto `tables`. */
export function operations(doc: OpenApiDocument, tables: string[]): Operation[] {
  const resolve = resolver(doc);
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const slots: IdSlot[] = [];
      const segments = path.split("/");
      for (const p of parameters) {
        if (p.in === "header") continue;
        const s = resolve(p.schema);
        if (!(isUuid(s) || ID_NAME.test(p.name) || ID_TEXT.test(s.description ?? ""))) continue;
        const segment = segments[segments.indexOf(`{${p.name}}`) - 1];
        slots.push({ in: p.in, name: p.name, list: false, table: tableFor(p.name, segment, tables) });
      }
      for (const [name, raw] of Object.entries(body ? (resolve(body).properties ?? {}) : {})) {
        const s = resolve(raw);
        const item = s.items ? resolve(s.items) : undefined;
        const list = !!item && (isUuid(item) || /Ids$|_ids$/.test(name));
        if (!(list || isUuid(s) || ID_NAME.test(name) || ID_TEXT.test(s.description ?? ""))) continue;
        slots.push({ in: "body", name, list, table: tableFor(name, undefined, tables) });
      }
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        body,
        tenantScoped: Object.values(op.responses ?? {}).some((r) => r.description?.includes("tenant_mismatch")),
        bearer: (op.security ?? []).some((s) => "bearerAuth" in s),
        slots,
      });
    }
  }
  return ops;
}

export interface RequestShape {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

/** Builds requests that pass validation. `ids` supplies each id slot's value (else sampled). */
export function sampler(doc: OpenApiDocument) {
  const resolve = resolver(doc);
  let tick = 0;
  // Far ahead: an appointment made here schedules its reminders then, so the attack leaves no
  // due work in the (shared) job outbox for other tests' drains.
  const base = Date.parse("2031-06-02T09:00:00Z");
  function sample(raw: Schema): unknown {
    const s = resolve(raw);
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return sample(alternatives.map(resolve).find((a) => a.type !== "null") ?? alternatives[0]!);
    if (s.enum) return s.enum[0];
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
    // Timestamps and dates increase within a request, so start/end and from/to pairs are in order.
    if (s.format === "date-time") return new Date(base + tick++ * 3600_000).toISOString();
    if (s.format === "date") return new Date(base + tick++ * 86_400_000).toISOString().slice(0, 10);
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    switch (type) {
      case "object": {
        const required = s.required ?? [];
        // An object with nothing required (a PATCH) still needs one field to mean anything.
        const keys = required.length > 0 ? required : Object.keys(s.properties ?? {}).slice(0, 1);
        return Object.fromEntries(keys.map((k) => [k, sample(s.properties![k]!)]));
      }
      case "array":
        return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items ?? {}));
      case "integer":
      case "number":
        return s.minimum ?? 1;
      case "boolean":
        return false;
      case "string":
        if (s.format === "uuid") return crypto.randomUUID();
        if (s.format === "email") return "someone@example.test";
        return "x".repeat(Math.max(s.minLength ?? 1, 1));
      default:
        throw new Error(`no sample for schema ${JSON.stringify(s).slice(0, 200)}`);
    }
  }

  return (op: Operation, ids: (slot: IdSlot) => string | undefined, bodyOverrides: Record<string, unknown> = {}): RequestShape => {
    tick = 0;
    let path = op.path;
    const query = new URLSearchParams();
    for (const p of op.parameters) {
      if (p.in === "header") continue;
      const slot = op.slots.find((s) => s.in === p.in && s.name === p.name);
      const value = (slot && ids(slot)) ?? (p.in === "path" || p.required ? String(sample(p.schema)) : undefined);
      if (value === undefined) continue;
      if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(value));
      else query.set(p.name, value);
    }
    if (!op.body) return { path, query, body: undefined };
    // Stated fields replace the one a PATCH (nothing required) would otherwise be sampled with.
    const optional = (resolve(op.body).required ?? []).length === 0 && Object.keys(bodyOverrides).length > 0;
    const body = { ...(optional ? {} : (sample(op.body) as Record<string, unknown>)), ...bodyOverrides };
    for (const slot of op.slots.filter((s) => s.in === "body")) {
      const id = ids(slot);
      if (id !== undefined) body[slot.name] = slot.list ? [id] : id;
    }
    return { path, query, body };
  };
}
