// Builds a request that passes a route's own validation, from the generated OpenAPI document: a
// route guard is only observable once validation lets the request through to the database. The
// values come from each schema's `example` where it has one, else from its type and format;
// timestamps and dates increase in the order they are made, so `start`/`end` and `from`/`to`
// pairs come out in order.

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
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
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: Schema }> } };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

export function requestSampler(doc: OpenApiDocument) {
  let tick = 0;
  const base = Date.now() + 24 * 3600_000;
  const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components!.schemas![s.$ref.split("/").pop()!]!) : s);

  function sample(raw: Schema): unknown {
    const s = resolve(raw);
    if (s.allOf) return sample(Object.assign({}, ...s.allOf.map(resolve)) as Schema);
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) return sample(alternatives.map(resolve).find((a) => a.type !== "null") ?? alternatives[0]!);
    if (s.enum) return s.enum[0];
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
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
        return null;
    }
  }

  /** A concrete URL (path and required query parameters) and JSON body for an operation. */
  return (method: string, honoPath: string): { url: string; body: unknown } => {
    const path = honoPath.replace(/:([A-Za-z]+)/g, "{$1}");
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in the OpenAPI document`);
    let url = path;
    const query = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(String(sample(p.schema))));
      if (p.in === "query" && p.required) query.set(p.name, String(sample(p.schema)));
    }
    const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
    return { url: query.size ? `${url}?${query}` : url, body: bodySchema ? sample(bodySchema) : undefined };
  };
}
