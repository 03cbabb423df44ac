// One generated HTTP request per draw, derived from one OpenAPI operation: its path parameters,
// query parameters, headers and JSON body, each valid or hostile, sent by a chosen caller. The
// request is a compact description (big bodies are built only when sent), printed readably
// when fast-check reports a counterexample.
import fc from "fast-check";
import {
  badUtf8Bodies, contentTypes, encodeComponent, hostilePathSegments, hostileQueryAtoms, junkHeaderValue, malformedJson, rawQueryJunk,
} from "./hostile.ts";
import type { OpenApiDoc, Operation, Parameter, Schemas } from "./schema.ts";

export interface Caller {
  label: string;
  /** Index of the fuzzed tenant this caller is a member of; null for attackers of every kind. */
  home: number | null;
  authorization: string | null;
}

export interface FuzzContext {
  apiHost: string;
  /** Hosts other than the API's: tenant hosts (own and others'), unknown ones. */
  otherHosts: string[];
  callers: Caller[];
  /** Schemas whose uuid values come from the given home tenant's ids (null: any tenant's). */
  schemasFor: (home: number | null) => Schemas;
  tenantIds: string[];
}

export type FuzzBody =
  | { kind: "json"; value: unknown; contentType: string | null }
  | { kind: "text"; text: string; contentType: string | null }
  | { kind: "bytes"; bytes: Uint8Array; contentType: string | null }
  /** {"title":"aaa…"} of `size` bytes; `stream` sends it chunked, without a length. */
  | { kind: "big"; size: number; stream: boolean; contentType: string | null }
  /** `depth` nested arrays, alone or as the value of a field. */
  | { kind: "deep"; depth: number; inField: boolean; contentType: string | null };

export interface OperationRef {
  key: string;
  method: string;
  template: string;
  operation: Operation;
}

export class FuzzRequest {
  constructor(
    readonly op: string,
    readonly method: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
    readonly caller: number,
    readonly callerLabel: string,
    readonly ip: string,
    readonly headers: [string, string][],
    readonly body: FuzzBody | null,
    /** Which part was made hostile on purpose ("none": a request meant to be valid). */
    readonly broken: string,
  ) {}

  [fc.toStringMethod](): string {
    const headers = this.headers.map(([k, v]) => `${k}: ${abbreviate(v)}`).join("; ");
    return `${this.method} https://${this.host}${abbreviate(this.path)}${abbreviate(this.query)} as ${this.callerLabel}` +
      `${headers ? ` [${headers}]` : ""}${this.body ? ` body ${describeBody(this.body)}` : ""} (from ${this.op}, hostile part: ${this.broken})`;
  }
}

export function operationsOf(doc: OpenApiDoc): OperationRef[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), template, operation })),
  );
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
type Part = "none" | "path" | "query" | "body" | "headers" | "method" | "host";

/** Requests for one operation. `hostile` mode always breaks something; `mixed` mode half the time. */
export function requestArbitrary(ctx: FuzzContext, ref: OperationRef, mode: "mixed" | "hostile"): fc.Arbitrary<FuzzRequest> {
  const members = ctx.callers.flatMap((c, i) => (c.home === null ? [] : [i]));
  const attackers = ctx.callers.flatMap((c, i) => (c.home === null ? [i] : []));
  const caller = fc.oneof({ arbitrary: fc.constantFrom(...members), weight: mode === "mixed" ? 14 : 5 }, { arbitrary: fc.constantFrom(...attackers), weight: 1 });
  // A GET carries no body, so its hostile draws break the other parts.
  const parts = ([["path", 2], ["query", 2], ["body", 5], ["headers", 2], ["method", 1], ["host", 1]] as [Part, number][]).filter(([p]) => p !== "body" || ref.method !== "GET");
  const broken = fc.oneof(...(mode === "mixed" ? [["none", 14] as [Part, number], ...parts] : parts).map(([p, weight]) => ({ arbitrary: fc.constant(p), weight })));
  const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);
  // Every part is drawn both valid and hostile, and `broken` picks which one is sent: so fast-check
  // can shrink a counterexample's broken part back to "none" without redrawing the rest. The
  // arbitraries are built once per home tenant (building them costs more than drawing from them).
  const cache = new Map<number | null, fc.Arbitrary<[Parts, Parts]>>();
  const partsFor = (home: number | null) => {
    if (!cache.has(home)) {
      const schemas = ctx.schemasFor(home);
      const parts = (hostile: boolean): fc.Arbitrary<Parts> => fc.record({
        method: hostile ? fc.constantFrom(...METHODS.filter((m) => m !== ref.method)) : fc.constant(ref.method),
        host: hostile ? fc.constantFrom(...ctx.otherHosts) : fc.constant(ctx.apiHost),
        path: pathArbitrary(schemas, ref, hostile),
        query: queryArbitrary(schemas, ref.operation.parameters ?? [], hostile),
        headers: headersArbitrary(ctx, ref, hostile),
        body: bodyArbitrary(schemas, ref.operation, hostile),
      });
      cache.set(home, fc.tuple(parts(false), parts(true)));
    }
    return cache.get(home)!;
  };
  return fc.tuple(caller, ip).chain(([callerIndex, address]) =>
    fc.tuple(broken, partsFor(ctx.callers[callerIndex]!.home)).map(([part, [valid, hostile]]) => {
      const r = part === "none" ? valid : { ...valid, [part]: hostile[part] };
      const body = r.method === "GET" || r.method === "OPTIONS" ? null : r.body;
      const label = ctx.callers[callerIndex]!.label;
      return new FuzzRequest(ref.key, r.method, r.host, r.path, r.query, callerIndex, label, address, r.headers, body, part);
    }),
  );
}

interface Parts {
  method: string;
  host: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: FuzzBody | null;
}

// An {id}'s hint is the path's area (/v1/tasks/{id} → tasks); under /v1/ai/ it is the segment
// naming the object (workers, runs, approvals).
const hintOf = (template: string, name: string) => {
  if (name !== "id") return name;
  const parts = template.split("/");
  return (parts[2] === "ai" ? parts[parts.indexOf("{id}") - 1] : parts[2]) ?? "";
};

function pathArbitrary(schemas: Schemas, ref: OperationRef, hostile: boolean): fc.Arbitrary<string> {
  const params = (ref.operation.parameters ?? []).filter((p) => p.in === "path");
  const valid = (p: Parameter) => schemas.valid(p.schema, hintOf(ref.template, p.name)).map((v) => encodeComponent(String(v)));
  const fill = (values: string[]) => params.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]!), ref.template);
  const validPath = fc.tuple(...params.map(valid)).map(fill);
  if (!hostile) return validPath;
  const options: fc.Arbitrary<string>[] = [
    validPath.map((p) => `${p}/`),
    validPath.map((p) => `/${p}`),
    validPath.map((p) => p.toUpperCase()),
    validPath.chain((p) => fc.constantFrom(...hostilePathSegments).map((s) => `${p}/${s}`)),
  ];
  for (const [broken] of params.entries()) {
    const hostileParam = (p: Parameter) => fc.oneof(fc.constantFrom(...hostilePathSegments), schemas.hostile(p.schema).map((v) => encodeComponent(String(v))));
    const oneBroken = fc.tuple(...params.map((p, i) => (i === broken ? hostileParam(p) : valid(p)))).map(fill);
    options.push(oneBroken, oneBroken, oneBroken);
  }
  return fc.oneof(...options);
}

function queryArbitrary(schemas: Schemas, parameters: Parameter[], hostile: boolean): fc.Arbitrary<string> {
  const params = parameters.filter((p) => p.in === "query");
  // The query as one object schema, so related parameters (from/to) are generated together.
  const asObject = { type: "object", properties: Object.fromEntries(params.map((p) => [p.name, p.schema])), required: params.filter((p) => p.required).map((p) => p.name) };
  const serialize = (v: unknown) => encodeComponent(typeof v === "string" ? v : (JSON.stringify(v) ?? ""));
  const join = (entries: [string, unknown][]) => {
    const q = entries.map(([k, v]) => `${k}=${serialize(v)}`).join("&");
    return q ? `?${q}` : "";
  };
  const valid = schemas.valid(asObject) as fc.Arbitrary<Record<string, unknown>>;
  const validQuery = valid.map((o) => join(Object.entries(o)));
  if (!hostile) return validQuery;
  const options: fc.Arbitrary<string>[] = [
    fc.tuple(validQuery, fc.constantFrom(...rawQueryJunk)).map(([q, junk]) => (q ? `${q}&${junk}` : `?${junk}`)),
    fc.constantFrom(2_000, 20_000).map((n) => `?${"q=x&".repeat(n / 4)}`),
  ];
  // One parameter hostile (or missing), the rest as a valid request has them.
  const broken = params.map((p) =>
    fc.tuple(valid, fc.oneof(schemas.hostile(p.schema, p.name), fc.constantFrom(...hostileQueryAtoms), fc.constant(undefined)))
      .map(([o, v]) => join(Object.entries({ ...o, [p.name]: v }).filter(([, x]) => x !== undefined))),
  );
  if (broken.length) options.push(fc.oneof(...broken), fc.oneof(...broken), fc.oneof(...broken));
  return fc.oneof(...options);
}

function headersArbitrary(ctx: FuzzContext, ref: OperationRef, hostile: boolean): fc.Arbitrary<[string, string][]> {
  const idempotent = (ref.operation.parameters ?? []).some((p) => p.in === "header" && p.name === "idempotency-key");
  const key = fc.oneof(
    { arbitrary: fc.constant(null), weight: 6 },
    { arbitrary: fc.uuid(), weight: 3 },
    { arbitrary: fc.constantFrom("fuzz-replay-0", "fuzz-replay-1", "fuzz-replay-2"), weight: 1 },
  );
  const validHeaders = (idempotent ? key : fc.constant(null)).map((k): [string, string][] => (k ? [["idempotency-key", k]] : []));
  if (!hostile) return validHeaders;
  const tenant = fc.constantFrom(...ctx.tenantIds);
  const junk = fc.oneof(
    fc.tuple(fc.constant("idempotency-key"), fc.oneof(junkHeaderValue, fc.constant("k".repeat(256)))),
    fc.tuple(fc.constantFrom("x-tenant-id", "X-Tenant-Id", "x-tenant"), fc.oneof(tenant, junkHeaderValue)),
    fc.tuple(fc.constant("x-tenant-slug"), fc.constantFrom("acme", "globex", "t-00000000")),
    fc.tuple(fc.constant("authorization"), fc.constantFrom("Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer", "Bearer  ")),
    fc.tuple(fc.constant("content-type"), fc.constantFrom(...contentTypes)),
    fc.tuple(fc.constantFrom("x-request-id", "accept", "origin", "cookie", "x-forwarded-for", "upstash-signature", "x-http-method-override"), junkHeaderValue),
    fc.tuple(fc.constant("origin"), fc.constantFrom("https://app.aioffice.test", "https://evil.test", "null")),
    fc.tuple(fc.constantFrom("content-encoding", "transfer-encoding-x", "accept-encoding"), fc.constantFrom("gzip", "br", "identity, gzip", "chunked")),
    fc.tuple(fc.constantFrom("x-fuzz-long", "user-agent"), fc.constantFrom(8_192, 65_536).map((n) => "L".repeat(n))),
  );
  return fc.tuple(validHeaders, fc.array(junk, { minLength: 1, maxLength: 3 })).map(([a, b]) => [...a, ...b]);
}

function bodyArbitrary(schemas: Schemas, operation: Operation, hostile: boolean): fc.Arbitrary<FuzzBody | null> {
  const schema = operation.requestBody?.content["application/json"]?.schema;
  const json = (value: unknown, contentType: string | null = "application/json"): FuzzBody => ({ kind: "json", value, contentType });
  if (!hostile) return schema ? schemas.valid(schema).map((v) => json(v)) : fc.constant(null);
  const ct = fc.oneof(fc.constantFrom(...contentTypes), fc.constant(null));
  const options: fc.WeightedArbitrary<FuzzBody>[] = [
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => json(v)), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...malformedJson), ct).map(([text, contentType]) => ({ kind: "text", text, contentType }) as FuzzBody), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...badUtf8Bodies), ct).map(([bytes, contentType]) => ({ kind: "bytes", bytes, contentType }) as FuzzBody), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(1_048_577, 1_500_000, 1_000_000), fc.boolean()).map(([size, stream]) => ({ kind: "big", size, stream, contentType: "application/json" }) as FuzzBody), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(5_000, 100), fc.boolean()).map(([depth, inField]) => ({ kind: "deep", depth, inField, contentType: "application/json" }) as FuzzBody), weight: 1 },
  ];
  if (schema) {
    options.push({ arbitrary: schemas.hostile(schema).map((v) => json(v)), weight: 8 });
    options.push({ arbitrary: fc.tuple(schemas.valid(schema), ct).map(([v, contentType]) => json(v, contentType)), weight: 2 });
  }
  return fc.oneof(...options);
}

/** The wire form of a generated body. */
export function materialize(body: FuzzBody): { payload: BodyInit; contentType: string | null } {
  switch (body.kind) {
    case "json":
      return { payload: JSON.stringify(body.value) ?? "", contentType: body.contentType };
    case "text":
      return { payload: body.text, contentType: body.contentType };
    case "bytes":
      return { payload: body.bytes, contentType: body.contentType };
    case "deep": {
      const nested = "[".repeat(body.depth) + "]".repeat(body.depth);
      return { payload: body.inField ? `{"title":${nested}}` : nested, contentType: body.contentType };
    }
    case "big": {
      const text = `{"title":"${"a".repeat(body.size - 12)}"}`;
      if (!body.stream) return { payload: text, contentType: body.contentType };
      const bytes = new TextEncoder().encode(text);
      let offset = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(offset, offset + 65_536));
          offset += 65_536;
        },
      });
      return { payload: stream, contentType: body.contentType };
    }
  }
}

/** Long strings shortened and control characters escaped, for reports. */
export function abbreviate(text: string, max = 120): string {
  return shorten(JSON.stringify(text).slice(1, -1), max);
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);

function describeBody(body: FuzzBody): string {
  const ct = `(content-type ${body.contentType === null ? "absent" : JSON.stringify(body.contentType)})`;
  switch (body.kind) {
    case "json":
      return `${shorten(JSON.stringify(body.value) ?? "undefined", 400)} ${ct}`;
    case "text":
      return `raw ${JSON.stringify(abbreviate(body.text, 200))} ${ct}`;
    case "bytes":
      return `bytes [${[...body.bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ")}] ${ct}`;
    case "deep":
      return `${body.inField ? '{"title":' : ""}${body.depth} nested arrays${body.inField ? "}" : ""} ${ct}`;
    case "big":
      return `{"title":"a…"} of ${body.size} bytes${body.stream ? ", streamed without a length" : ""} ${ct}`;
  }
}
