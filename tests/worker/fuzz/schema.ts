// fast-check arbitraries derived from the OpenAPI document's JSON Schemas: `valid` values (which
// may still be strange: emoji, RTL, lone surrogates, extremes of every range) and `hostile` ones
// (wrong types, out of range, missing required fields, extra fields, NUL, bad formats).
import fc from "fast-check";
import { exoticText, hostileDateTimes, hostileNumber, hostileUuids, longString, rejectableString } from "./hostile.ts";

export interface JsonSchema {
  $ref?: string;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Where uuid-formatted values come from: real ids (by a name hint such as the field name) or random. */
export type UuidSource = (hint: string) => fc.Arbitrary<string>;

/** Cursors shaped like the API's own (base64url of a JSON array of keys), with keys of every kind. */
const cursorKey = fc.oneof(
  fc.uuid(),
  fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
  exoticText(30),
  fc.integer(),
  fc.double(),
  fc.constantFrom("", "9999-99-99", "2030-01-01", "infinity", "-infinity", "NaN", "1e999"),
);
const forgedCursor = fc.array(cursorKey, { minLength: 1, maxLength: 4 }).map((keys) => {
  let binary = "";
  for (const b of new TextEncoder().encode(JSON.stringify(keys))) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
});

/** Fields whose values must be ordered (and, for ranges, close): refinements JSON Schema cannot express. */
const ORDERED_PAIRS = [["start", "end"], ["from", "to"], ["due_after", "due_before"]] as const;

export class Schemas {
  constructor(
    private readonly doc: OpenApiDoc,
    private readonly uuids: UuidSource,
  ) {}

  /** Follows $ref and merges allOf, so every other function sees one flat schema. */
  resolve(schema: JsonSchema): JsonSchema {
    if (schema.$ref) {
      const name = schema.$ref.replace("#/components/schemas/", "");
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved ${schema.$ref}`);
      return this.resolve(target);
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      return allOf.map((s) => this.resolve(s)).reduce<JsonSchema>((a, b) => ({ ...a, ...b }), rest);
    }
    return schema;
  }

  private readonly memo = new Map<string, WeakMap<JsonSchema, fc.Arbitrary<unknown>>>();

  /** Arbitraries are built once per schema object (building them costs more than drawing from them). */
  private memoized(kind: "valid" | "hostile", input: JsonSchema, hint: string, build: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const key = `${kind}|${hint}`;
    if (!this.memo.has(key)) this.memo.set(key, new WeakMap());
    const byKind = this.memo.get(key)!;
    if (!byKind.has(input)) byKind.set(input, build());
    return byKind.get(input)!;
  }

  /** Values the schema accepts (modulo formats zod reads more strictly than JSON Schema says). */
  valid(input: JsonSchema, hint = ""): fc.Arbitrary<unknown> {
    return this.memoized("valid", input, hint, () => this.buildValid(input, hint));
  }

  /** Values the schema must refuse: a wrong type, or a violation of one of its constraints. */
  hostile(input: JsonSchema, hint = ""): fc.Arbitrary<unknown> {
    return this.memoized("hostile", input, hint, () => this.buildHostile(input, hint));
  }

  private buildValid(input: JsonSchema, hint: string): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const types = typesOf(schema);
    if (types.includes("null") && types.length > 1) {
      const rest = types.filter((t) => t !== "null");
      return fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: this.valid({ ...schema, type: rest }, hint), weight: 4 });
    }
    const [type] = types;
    switch (type) {
      case "string":
        return this.validString(schema, hint);
      case "integer":
        return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
      case "number":
        return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "array":
        return fc.array(this.valid(schema.items ?? {}, hint), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case "object":
        return this.validObject(schema);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private validString(schema: JsonSchema, hint: string): fc.Arbitrary<string> {
    const max = schema.maxLength ?? 200;
    const min = schema.minLength ?? 0;
    switch (schema.format) {
      case "uuid":
        return this.uuids(hint);
      case "date-time":
        return fc.oneof(
          fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2060-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
          fc.tuple(fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2031-01-01T00:00:00Z"), noInvalidDate: true }), fc.constantFrom("+00:00", "+05:30", "-08:00", "+14:00"))
            .map(([d, off]) => d.toISOString().replace("Z", off)),
        );
      case "date":
        return fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case "email":
        return fc.oneof(
          { arbitrary: fc.constantFrom("a@b.co", "dora.dent@example.com", "x+tag@sub.example.org", "o'brien@example.ie"), weight: 2 },
          { arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9._-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,20}$/)).map(([u, d]) => `${u}@${d}.test`), weight: 2 },
          { arbitrary: fc.emailAddress().filter((e) => e.length <= max), weight: 1 },
        );
    }
    if (hint === "cursor") return fc.oneof({ arbitrary: forgedCursor, weight: 3 }, { arbitrary: exoticText(max), weight: 1 });
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
    const example = typeof schema.example === "string" ? [{ arbitrary: fc.constant(schema.example), weight: 12 }] : [];
    return fc.oneof(
      ...example,
      { arbitrary: exoticText(max), weight: 6 },
      { arbitrary: fc.constant("x".repeat(Math.max(min, max))), weight: 1 },
    ).filter((s) => s.length >= Math.max(min, 1) && s.length <= max && (min > 0 || s.trim().length > 0));
  }

  private validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
    const props = schema.properties ?? {};
    const model = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, this.valid(s, k)]));
    const record = fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
    const pairs = ORDERED_PAIRS.filter(([a, b]) => a in props && b in props);
    if (pairs.length === 0) return record;
    // JSON Schema cannot say `start < end` or "at most 92 days": most of the time, make such
    // pairs ordered and close, so valid requests get past the refinements to the database.
    const gap = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 600 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 60 * 24 * 100 }), weight: 1 });
    return fc.tuple(record, fc.nat(3), gap).map(([obj, keep, minutes]) => {
      if (keep === 0) return obj;
      const out = { ...obj };
      for (const [a, b] of pairs) {
        const first = out[a];
        if (typeof first !== "string" || !out[b]) continue;
        const at = Date.parse(first);
        if (Number.isNaN(at)) continue;
        const later = new Date(at + minutes * 60_000).toISOString();
        out[b] = /^\d{4}-\d{2}-\d{2}$/.test(first) ? later.slice(0, 10) : later;
      }
      return out;
    });
  }

  private buildHostile(input: JsonSchema, hint: string): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const types = typesOf(schema);
    const wrongType = fc.constantFrom<unknown>(
      ...[42, -1.5, true, "text", [], [1, "a"], { a: 1 }, {}].filter((v) => !types.includes(jsonType(v))),
      ...(types.includes("null") ? [] : [null]),
    );
    const specific: fc.Arbitrary<unknown>[] = [];
    if (schema.enum) {
      // Near misses of each string value (a non-string enum, e.g. a literal number, has none).
      const near = schema.enum.filter((e): e is string => typeof e === "string").flatMap((e) => [e.toUpperCase(), ` ${e}`, `${e}\u0000`, `${e},${e}`]);
      if (near.length) specific.push(fc.constantFrom(...near));
      specific.push(fc.constantFrom("superadmin", "", "*"));
    }
    else if (types.includes("string")) specific.push(this.hostileString(schema));
    if (types.includes("integer") || types.includes("number")) specific.push(hostileNumber(schema.minimum, schema.maximum));
    if (types.includes("array")) {
      const item = schema.items ?? {};
      specific.push(
        fc.array(this.hostile(item, hint), { minLength: 1, maxLength: 3 }),
        fc.array(this.valid(item, hint), { minLength: (schema.maxItems ?? 100) + 1, maxLength: (schema.maxItems ?? 100) + 1 }),
      );
    }
    if (types.includes("object")) specific.push(this.hostileObject(schema));
    return specific.length ? fc.oneof({ arbitrary: wrongType, weight: 1 }, { arbitrary: fc.oneof(...specific), weight: 3 }) : wrongType;
  }

  private hostileString(schema: JsonSchema): fc.Arbitrary<string> {
    const options: fc.Arbitrary<string>[] = [rejectableString(schema.maxLength)];
    if (schema.format === "uuid") options.push(fc.constantFrom(...hostileUuids), fc.uuid().map((u) => u.toUpperCase()));
    if (schema.format === "date-time" || schema.format === "date") options.push(fc.constantFrom(...hostileDateTimes));
    if (schema.format === "email") options.push(fc.constantFrom("no-at-sign", "@", "a@", "@b.c", "a@b", "a b@c.de", `${"a".repeat(320)}@b.co`, "a@b.co\u0000"));
    if (schema.pattern) options.push(fc.constantFrom("A", "-a-", "a", "a".repeat(64), "ü-x", "x_y"), longString(schema.maxLength));
    return fc.oneof(...options);
  }

  private hostileObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
    const props = Object.keys(schema.properties ?? {});
    const required = schema.required ?? [];
    const valid = this.validObject(schema);
    const options: fc.Arbitrary<Record<string, unknown>>[] = [
      // One field made hostile, the rest valid: the shape most likely to slip past a check.
      ...props.map((key) => fc.tuple(valid, this.hostile(schema.properties![key]!, key)).map(([obj, v]) => withOwnKey(obj, key, v))),
      fc.tuple(valid, fc.constantFrom("extra", "tenantId", "tenant_id", "id", "createdBy", "__proto__", "role", "deletedAt"), fc.jsonValue({ maxDepth: 1 }))
        .map(([obj, key, v]) => withOwnKey(obj, key, v)),
    ];
    if (required.length) options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([obj, key]) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key))));
    return fc.oneof(...options);
  }

  /** Mostly valid, sometimes hostile: what the fuzzer sends for one value. */
  mixed(schema: JsonSchema, hint = "", hostileWeight = 1): fc.Arbitrary<unknown> {
    return fc.oneof({ arbitrary: this.valid(schema, hint), weight: 4 }, { arbitrary: this.hostile(schema, hint), weight: hostileWeight });
  }
}

/** Adds a key as an own property, even `__proto__` (as JSON.parse would build it). */
function withOwnKey(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return Object.assign(out, obj);
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ["object"];
  if (schema.enum) return [...new Set(schema.enum.map(jsonType))];
  return [];
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}
