// The hostile vocabulary the fuzzer mixes into schema-derived values: strange-but-valid text
// (which the API must store and return), values a schema must refuse, and raw request parts
// (path segments, query strings, bodies, headers) no client library would send.
import fc from "fast-check";

/** Valid text that stresses encodings: emoji, RTL and combining marks, lone surrogates, control characters. */
export const exoticAtoms = [
  "😀", "👩‍👩‍👧‍👦", "🇩🇪", "\u{1F9D1}\u{1F3FD}\u200D\u2695\uFE0F", // emoji, ZWJ family, flag, skin tone
  "\u202Eevil\u202C", "\u200F", "\u200E", "\u2067x\u2069", "مرحبا", "שלום", // bidi overrides and RTL text
  "e\u0301", "Z\u0334\u0321\u032A\u034E\u0344a\u0337", "\u0300", // combining marks, zalgo, a leading combining mark
  "\ud800", "\udfff", "x\ud83dy", "\udc00\ud800", // lone and reversed surrogates
  "\u0001", "\u0008", "\t", "\n", "\r\n", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\u2029", // controls and separators
  "\uFEFF", "\u200B", "\u00AD", "\uFFFD", "\uFFFF", "\u{10FFFF}", // BOM, zero-width, soft hyphen, non-characters
  "Dvořák", "Ωmega", "日本語", "İstanbul", "ß", "ﬃ", // case-folding traps
  "' or '1'='1", "%", "_", "\\", "$1", "%_\\%", "); drop table tasks; --", "${x}", "<script>", "{{x}}", // SQL/LIKE/template metacharacters
  "null", "undefined", "NaN", "true", "[]", "{}", "__proto__", "constructor",
] as const;

/** Strings that must be refused somewhere (NUL), or that probe length limits. */
export const nulAtoms = ["\u0000", "a\u0000", "\u0000b", "x\u0000\u0000y"] as const;

const plainWord = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 });

/** Mostly ordinary text, sometimes exotic: every piece here is a valid string value. */
export function exoticText(maxLength: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { arbitrary: plainWord, weight: 4 },
    { arbitrary: fc.constantFrom(...exoticAtoms), weight: 3 },
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 8 }), weight: 1 },
  );
  return fc
    .array(piece, { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join(" "))
    .map((s) => (s.length > maxLength ? s.slice(0, Math.max(1, maxLength)) : s));
}

/** A string the schema should refuse for its length, or a merely enormous one. */
export function longString(maxLength: number | undefined): fc.Arbitrary<string> {
  const sizes = [maxLength === undefined ? 300 : maxLength + 1, 10_000, 100_000];
  return fc.tuple(fc.constantFrom(...sizes), fc.constantFrom("a", "é", "😀", "\u0301", " ")).map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
}

/** Any string a schema must refuse: with NUL, too long, or of the wrong kind entirely. */
export function rejectableString(maxLength: number | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...nulAtoms),
    fc.tuple(exoticText(20), fc.constantFrom(...nulAtoms)).map(([a, b]) => a + b),
    longString(maxLength),
    fc.constant(""),
  );
}

/** Numbers (and number-like things) out of range or of the wrong kind. */
export function hostileNumber(min?: number, max?: number): fc.Arbitrary<unknown> {
  const edges: unknown[] = [-1, 0, 0.5, -0, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE];
  if (min !== undefined) edges.push(min - 1, min - 0.5);
  if (max !== undefined) edges.push(max + 1, max + 0.5);
  return fc.oneof(fc.constantFrom(...edges), fc.constantFrom("1", "NaN", "Infinity", "-Infinity", "1e999", "0x10", " 1", "1_000", "", "١٢"), fc.boolean());
}

/** Text for query values: numbers, dates and enums a parser might choke on. */
export const hostileQueryAtoms = [
  "", " ", "NaN", "Infinity", "-1", "0", "1e999", "99999999999999999999", "1.5", "0x1F", "true", "null", "[]", "{}",
  "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+25:00", "2026-01-01T00:00:00.1234567890123Z", "2026-01-01",
  "1970-01-01T00:00:00Z", "2026-W01", "yesterday", "me", "me,me", ",", "open,,done", "OPEN", "owner\u0000", "\u0000",
] as const;

/** Date-time strings that are malformed, out of range, or oddly valid. */
export const hostileDateTimes = hostileQueryAtoms.filter((s) => /\d{4}|W01|yesterday/.test(s));

/** Not-quite uuids. */
export const hostileUuids = [
  "not-a-uuid", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000", "{00000000-0000-0000-0000-000000000000}",
  "00000000000000000000000000000000", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ", "me", "' or 1=1 --", "1", "-1", "",
] as const;

/** Path segments as sent on the wire (already percent-encoded where it matters). */
export const hostilePathSegments = [
  "%00", "..", "%2e%2e", "%2E%2E%2F%2E%2E", "a%2Fb", "%2F", "%", "%%", "%ZZ", "%E0%A4%A", "%ED%A0%80", "%C0%80", "%F0%9F%98%80",
  "%E2%80%AE", "%20", "+", ";x", "null", "undefined", "me", "-1", "0", "1e3", "00000000-0000-0000-0000-000000000000%00",
  "00000000-0000-0000-0000-000000000000.json", "%7B%7D", "'", "%27%20or%201%3D1", "\u00e9", "x".repeat(5_000),
] as const;

/** Percent-encodes UTF-8 (lone surrogates become U+FFFD, as any client would send them). */
export function encodeComponent(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Raw query-string fragments no form encoder would produce. */
export const rawQueryJunk = [
  "limit=1&limit=2", "limit[]=1", "limit=%", "limit=%ZZ", "cursor=%00", "cursor=%C0%80", "cursor=%FF%FE", "q=%ED%A0%80",
  "&&&", "=", "==x", "a=b=c", "limit", "%00=1", "__proto__=1", "constructor[prototype][x]=1", `cursor=${"A".repeat(513)}`,
  `cursor=${"W1siIiwiIl1d"}`, "cursor=eyJ4Ijp7fX0", "cursor=W10", "cursor=bnVsbA", "cursor=W251bGwsbnVsbF0",
] as const;

/** Malformed or surprising JSON texts. */
export const malformedJson = [
  "", " ", "{", "}", "{\"a\":", "{'a':1}", "[1,]", "{\"a\":1}garbage", "{\"a\":1}{\"a\":1}", "\uFEFF{}", "null", "true", "0", "-0", "1e999",
  "\"text\"", "NaN", "[]", "[{}]", "{\"__proto__\":{\"polluted\":true}}", "{\"constructor\":{\"prototype\":{\"x\":1}}}",
  "{\"title\":\"a\",\"title\":1}", "{\"title\":\"\\ud800\"}", "{\"title\":\"\\u0000\"}", "{\"title\":\"a\\x00\"}", "{\"a\":1,}", "/* c */{}",
  "{\"title\":1e400}", "{\"minutes\":1.0000000000000001}", "{\"title\":\"" + "\\\\".repeat(5_000) + "\"}",
] as const;

/** Content types other than the one the API accepts, and odd spellings of it. */
export const contentTypes = [
  "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=utf-16", "application/json; boundary=x",
  "application/merge-patch+json", "application/problem+json", "application/vnd.api+json", "text/plain", "text/json",
  "application/x-www-form-urlencoded", "multipart/form-data; boundary=----x", "application/octet-stream", "application/xml", "*/*", "json", ";", "",
] as const;

/** Bytes that are not UTF-8, wrapped in otherwise valid JSON. */
export const badUtf8Bodies: Uint8Array[] = [
  Uint8Array.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"title":"\xff\xfe"}
  Uint8Array.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // CESU lone surrogate
  Uint8Array.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d]), // overlong NUL
  Uint8Array.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]), // UTF-16BE with BOM
  Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]), // a gzip header
];

/** Junk header values (ASCII: workerd would send anything else as UTF-8, with a warning per request). */
export const junkHeaderValue = fc.oneof(
  fc.constantFrom("", " ", "\t", "a b", "\u007f", "\u0001", "null", "undefined", "../../etc/passwd", "' or 1=1 --", "x".repeat(256)),
  fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[\0\r\n]/g, "")),
  fc.constantFrom(8_192, 65_536).map((n) => "h".repeat(n)),
);
