// SCIM filters (RFC 7644 §3.4.2.2) → a parameterized SQL condition. scim2-parse-filter turns the
// text into an AST; this walks it against a table's attribute map, so every value is a bind
// parameter (never spliced into the text) and the filtering happens in Postgres, on indexes
// (userName eq uses (tenant_id, lower(user_name))), not in memory. Unknown attributes and
// operators that do not fit the attribute's type are 400 invalidFilter.
import { parse, type Filter } from "scim2-parse-filter";
import { ScimError } from "./errors.ts";

type ValueType = "string" | "boolean" | "datetime" | "id";

export interface ScalarAttr {
  sql: string;
  type: ValueType;
  /** RFC 7643 caseExact: false compares lower-cased. */
  caseExact: boolean;
  /** The column already holds the lower-cased value (compare with the lower-cased input). */
  lowered?: boolean;
}

/** A multi-valued attribute: rows of `from` (alias bound to the element) with sub-attributes. */
export interface MultiAttr {
  from: string;
  where?: string;
  subs: Record<string, ScalarAttr>;
}

export interface AttributeMap {
  scalars: Record<string, ScalarAttr>;
  multis: Record<string, MultiAttr>;
}

const invalid = (detail: string) => new ScimError(400, "invalidFilter", detail);

const MAX_FILTER_LENGTH = 2000;
const MAX_NODES = 50;

export class FilterSql {
  constructor(
    private readonly map: AttributeMap,
    /** Bind parameters so far (the filter's are appended); placeholders continue after them. */
    readonly values: unknown[],
  ) {}

  #nodes = 0;

  /** The condition for `text`, or "true" for no filter. */
  where(text: string | undefined): string {
    if (text === undefined || text.trim() === "") return "true";
    if (text.length > MAX_FILTER_LENGTH) throw invalid(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
    let ast: Filter;
    try {
      ast = parse(text);
    } catch (e) {
      throw invalid(`the filter does not parse: ${(e as Error).message}`);
    }
    return this.#node(ast, null);
  }

  #param(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }

  #node(f: Filter, within: MultiAttr | null): string {
    if (++this.#nodes > MAX_NODES) throw invalid(`the filter has more than ${MAX_NODES} terms`);
    switch (f.op) {
      case "and":
      case "or": {
        const parts = within ? f.filters.map((x) => this.#node(x, within)) : this.#logical(f.filters, f.op);
        return `(${parts.join(` ${f.op} `)})`;
      }
      case "not":
        return `(not coalesce(${this.#node(f.filter, within)}, false))`;
      case "[]": {
        const multi = this.#multi(f.attrPath);
        return this.#exists(multi, this.#node(f.valFilter, multi));
      }
      case "pr":
        return this.#present(f.attrPath, within);
      default:
        return this.#compare(f.op, f.attrPath, f.compValue, within);
    }
  }

  // `emails[type eq "work"].value eq "x"` parses as (emails[type eq "work"]) and (emails.value eq
  // "x"); both name the same element, so they become one EXISTS over the element.
  #logical(filters: Filter[], op: "and" | "or"): string[] {
    if (op === "and" && filters.length === 2) {
      const [a, b] = filters as [Filter, Filter];
      if (a.op === "[]" && "attrPath" in b && b.op !== "[]" && b.attrPath.toLowerCase().startsWith(`${a.attrPath.toLowerCase()}.`)) {
        const multi = this.#multi(a.attrPath);
        const sub = { ...b, attrPath: b.attrPath.slice(a.attrPath.length + 1) } as Filter;
        return [this.#exists(multi, `${this.#node(a.valFilter, multi)} and ${this.#node(sub, multi)}`)];
      }
    }
    return filters.map((x) => this.#node(x, null));
  }

  #multi(path: string): MultiAttr {
    const multi = this.map.multis[path.toLowerCase()];
    if (!multi) throw invalid(`${path} is not a multi-valued attribute that can be filtered`);
    return multi;
  }

  #exists(multi: MultiAttr, condition: string): string {
    return `exists (select 1 from ${multi.from} where ${multi.where ? `${multi.where} and ` : ""}${condition})`;
  }

  /** A scalar, or `multi.sub` (an element matches), or a sub-attribute inside [ ]. */
  #resolve(path: string, within: MultiAttr | null): { attr: ScalarAttr; multi: MultiAttr | null } {
    const key = path.toLowerCase();
    if (within) {
      const attr = within.subs[key];
      if (!attr) throw invalid(`${path} is not a sub-attribute that can be filtered here`);
      return { attr, multi: null };
    }
    const scalar = this.map.scalars[key];
    if (scalar) return { attr: scalar, multi: null };
    const dot = key.lastIndexOf(".");
    const multi = this.map.multis[dot > 0 ? key.slice(0, dot) : key];
    const sub = multi?.subs[dot > 0 ? key.slice(dot + 1) : "value"];
    if (multi && sub) return { attr: sub, multi };
    throw invalid(`${path} is not an attribute that can be filtered`);
  }

  #present(path: string, within: MultiAttr | null): string {
    const key = path.toLowerCase();
    if (!within && this.map.multis[key]) return this.#exists(this.map.multis[key], "true");
    const { attr, multi } = this.#resolve(path, within);
    const cond = attr.type === "string" ? `(${attr.sql} is not null and ${attr.sql} <> '')` : `${attr.sql} is not null`;
    return multi ? this.#exists(multi, cond) : cond;
  }

  #compare(op: string, path: string, value: unknown, within: MultiAttr | null): string {
    const { attr, multi } = this.#resolve(path, within);
    const cond = this.#scalarCompare(op, path, attr, value);
    return multi ? this.#exists(multi, cond) : cond;
  }

  #scalarCompare(op: string, path: string, attr: ScalarAttr, value: unknown): string {
    const col = attr.sql;
    if (value === null) {
      if (op === "eq") return `${col} is null`;
      if (op === "ne") return `${col} is not null`;
      throw invalid(`${path} ${op} null is not a comparison`);
    }
    switch (attr.type) {
      case "boolean": {
        const b = typeof value === "string" && /^(true|false)$/i.test(value) ? value.toLowerCase() === "true" : value;
        if (typeof b !== "boolean" || (op !== "eq" && op !== "ne")) throw invalid(`${path} takes eq or ne with true or false`);
        return op === "eq" ? `${col} = ${this.#param(b)}::boolean` : `${col} is distinct from ${this.#param(b)}::boolean`;
      }
      case "datetime": {
        if (typeof value !== "string" || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw invalid(`${path} compares with an ISO 8601 timestamp`);
        const sqlOp = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" }[op];
        if (!sqlOp) throw invalid(`${path} takes eq, ne, gt, ge, lt or le`);
        return `${col} ${sqlOp} ${this.#param(new Date(value).toISOString())}::timestamptz`;
      }
      case "id":
      case "string": {
        if (typeof value !== "string") throw invalid(`${path} compares with a string`);
        if (attr.type === "id" && op !== "eq" && op !== "ne") throw invalid(`${path} takes eq or ne`);
        const ci = !attr.caseExact;
        const lhs = ci ? `lower(${col})` : col;
        // Lower-cased by Postgres on both sides (never by JavaScript, whose case folding differs
        // from the database's beyond ASCII), so a stored userName is found the way it was keyed.
        const rhs = (v: string) => (ci || attr.lowered ? `lower(${this.#param(v)}::text)` : this.#param(v));
        const like = (pattern: string) => `${lhs} like ${rhs(pattern)} escape '\\'`;
        const esc = value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
        switch (op) {
          case "eq": return `${lhs} = ${rhs(value)}`;
          case "ne": return `(${col} is null or ${lhs} <> ${rhs(value)})`;
          case "co": return like(`%${esc}%`);
          case "sw": return like(`${esc}%`);
          case "ew": return like(`%${esc}`);
          case "gt": return `${lhs} > ${rhs(value)}`;
          case "ge": return `${lhs} >= ${rhs(value)}`;
          case "lt": return `${lhs} < ${rhs(value)}`;
          case "le": return `${lhs} <= ${rhs(value)}`;
        }
      }
    }
    throw invalid(`${op} is not a SCIM comparison operator`);
  }
}
