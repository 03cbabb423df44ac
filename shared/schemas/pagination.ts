// Cursor pagination: an opaque cursor holds the last row's sort key; pages are keyset queries,
// so inserts between pages neither repeat nor skip rows.
import { z } from "@hono/zod-openapi";
import { ApiError } from "../errors.ts";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Page size, at most ${MAX_PAGE_SIZE}.` }),
  cursor: z.string().max(512).optional().openapi({ description: "The nextCursor of the previous page." }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

// base64url of the key's UTF-8 bytes: a sort key may hold any text ("Dvořák Dental"), and btoa
// alone throws on anything outside Latin-1.
export function encodeCursor(key: unknown[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (cursor === undefined) return null;
  try {
    const key = JSON.parse(decodeBase64Url(cursor)) as unknown;
    const valid = (k: unknown) => typeof k === "number" || (typeof k === "string" && !k.includes("\u0000"));
    if (Array.isArray(key) && key.length === arity && key.every(valid)) return key;
  } catch {
    // fall through
  }
  throw new ApiError("bad_request", "cursor is not one this API issued", { fieldErrors: [{ path: "query.cursor", message: "invalid cursor" }] });
}

/**
 * Given limit+1 rows that each carry `_cursor` (the sort key exactly as Postgres holds it, e.g.
 * `json_build_array(created_at::text, id)`, so no precision is lost), returns the page without
 * that column and the cursor for the next page.
 */
export function paginate<T extends { _cursor: unknown[] }>(rows: T[], limit: number): { data: Omit<T, "_cursor">[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const data = page.map(({ _cursor, ...row }) => row);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last._cursor) : null };
}
