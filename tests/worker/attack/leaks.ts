// What each tenant of a world would recognise as its own: every id in its rows (ids that also
// appear in another tenant's rows, such as the user id of a person in both, belong to neither),
// its marker string and its slug. A response leaks when it carries any of another tenant's that
// the caller did not send (an id echoed from the request is no disclosure) and may not know.
import type { Actor, World } from "../../support/world.ts";
import { idsByTable, rowsText } from "./tables.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export interface TenantSecrets {
  id: string;
  slug: string;
  ids: Set<string>;
  strings: string[];
  /** Addressable ids by table (memberships: user ids), shared ones left out. */
  pools: Record<string, string[]>;
  all: string[];
}

export async function collectSecrets(world: World): Promise<Map<string, TenantSecrets>> {
  const texts = await Promise.all(world.tenants.map((t) => rowsText(t.id)));
  const idSets = texts.map((rows) => new Set(rows.flatMap((r) => r.text.toLowerCase().match(UUID) ?? [])));
  const seen = new Map<string, number>();
  for (const set of idSets) for (const id of set) seen.set(id, (seen.get(id) ?? 0) + 1);
  const secrets = new Map<string, TenantSecrets>();
  for (const [i, t] of world.tenants.entries()) {
    const ids = new Set([...idSets[i]!].filter((id) => seen.get(id) === 1));
    const byTable = await idsByTable(t.id);
    const pools = Object.fromEntries(Object.entries(byTable).map(([table, list]) => [table, list.filter((id) => ids.has(id))]));
    secrets.set(t.id, { id: t.id, slug: t.slug, ids, strings: [t.marker, t.slug], pools, all: Object.values(pools).flat() });
  }
  return secrets;
}

/** What of other tenants' a response shows that the caller neither sent nor may know. */
export function findLeaks(secrets: Map<string, TenantSecrets>, actor: Actor, response: string, request: string): string[] {
  const found: string[] = [];
  const foreign = [...secrets.values()].filter((t) => !actor.sees.includes(t.id));
  if (foreign.length === 0) return found;
  // What the caller may know is no finding wherever it appears (also inside a longer string).
  const text = [...actor.knows, actor.email].reduce((t, known) => t.split(known).join(""), response);
  const allowed = (s: string) => request.includes(s) || s === actor.userId;
  const uuids = new Set(text.toLowerCase().match(UUID) ?? []);
  for (const t of foreign) {
    for (const id of uuids) if (t.ids.has(id) && !allowed(id)) found.push(`${t.slug}'s id ${id}`);
    for (const s of t.strings) if (text.includes(s) && !allowed(s)) found.push(`${t.slug}'s "${s}"`);
  }
  return found;
}
