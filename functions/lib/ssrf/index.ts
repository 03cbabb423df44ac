// The SSRF guard for URLs the API will call on a business's behalf (outbound webhooks): HTTPS,
// no userinfo, and a host that is a public name or a public address literal. Addresses are
// judged by ipaddr.js (every notation it knows: hex, octal, single-number, shortened IPv4, all
// IPv6 forms), never by a regex; both the raw host as typed and what WHATWG URL parsing made of
// it are checked, so a notation one of them normalises cannot slip past the other. Used at save
// time (400 with the field path) and again right before sending (an old row may have gone bad).
import ipaddr from "ipaddr.js";

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Names that never leave the local machine or network, or reach a cloud's metadata service. */
const REFUSED_SUFFIXES = [".localhost", ".internal", ".local", ".home.arpa", ".localdomain", ".test", ".invalid", ".onion", ".arpa"];
const REFUSED_NAMES = new Set(["localhost", "metadata.google.internal", "metadata.goog", "instance-data.ec2.internal", "metadata.azure.internal"]);
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
/** Longest URL accepted (the column's limit). */
export const MAX_URL_LENGTH = 2048;

/** The authority's host exactly as typed (before URL parsing normalises it), or null. */
function rawHost(raw: string): string | null {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(raw.trim());
  if (!m) return null;
  const authority = m[1]!.slice(m[1]!.lastIndexOf("@") + 1);
  if (authority.startsWith("[")) {
    const end = authority.indexOf("]");
    return end < 0 ? authority : authority.slice(0, end + 1);
  }
  const colon = authority.indexOf(":");
  return colon < 0 ? authority : authority.slice(0, colon);
}

/** Why an address literal (no brackets) may not be called, or null when it is public unicast. */
export function refusedAddress(literal: string): string | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(literal);
  } catch {
    return null;
  }
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    // ::ffff:a.b.c.d and friends: named for what they embed when that is not public either.
    if (v6.isIPv4MappedAddress()) {
      const inner = refusedAddress(v6.toIPv4Address().toString());
      return inner ? `an IPv4-mapped address embedding ${inner}` : "an IPv4-mapped IPv6 address";
    }
    const range = v6.range();
    if (range !== "unicast") return `a ${range} IPv6 address`;
    // IPv4-compatible (::a.b.c.d), discard and everything outside global unicast.
    if (!v6.match(GLOBAL_UNICAST_V6)) return "an IPv6 address outside global unicast";
    return null;
  }
  const range = (addr as ipaddr.IPv4).range();
  return range === "unicast" ? null : `a ${range} IPv4 address`;
}

function refusedHost(host: string): string | null {
  if (host === "") return "the URL has no host";
  if (host.startsWith("[")) {
    const inner = host.slice(1, host.endsWith("]") ? -1 : undefined);
    if (!ipaddr.IPv6.isValid(inner)) return "the host is not a valid IPv6 address";
    return refusedAddress(inner);
  }
  if (ipaddr.isValid(host)) return refusedAddress(host);
  const name = host.toLowerCase();
  if (name.endsWith(".")) return "the host ends with a dot";
  if (REFUSED_NAMES.has(name) || REFUSED_SUFFIXES.some((s) => name.endsWith(s))) return `${name} is a local or internal name`;
  if (!name.includes(".")) return "the host is a single-label name";
  return null;
}

/** Whether `raw` is a URL the API may send a request to. */
export function checkOutboundUrl(raw: string): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "only https:// URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "the URL must not contain a user name or password" };
  const typed = rawHost(raw);
  for (const host of new Set([typed ?? "", url.hostname])) {
    const why = refusedHost(host);
    if (why) return { ok: false, reason: `the host is not public: ${why}` };
  }
  return { ok: true, url };
}
