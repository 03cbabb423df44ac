// Every operation's operationId, derived from its method and path so it is stable and unique
// without a hand-kept list: `tasks.list`, `tasks.create`, `tasks.get`, `tasks.update`,
// `tasks.delete`, `tasks.comments.create`, `appointments.cancel`, … (a test proves uniqueness,
// and client generators name their functions after these).
const SINGLETONS = new Set(["/v1/me", "/v1/me/notifications", "/v1/automation/settings", "/v1/dashboard", "/v1/usage", "/v1/portal/dashboard", "/healthz", "/openapi.json"]);
const NAMED: Record<string, string> = {
  "GET /healthz": "meta.health",
  "GET /openapi.json": "meta.openapi",
  "POST /v1/me/active-tenant": "me.setActiveTenant",
  "PATCH /v1/me/settings": "me.updateSettings",
  "POST /hooks/qstash/{job}": "hooks.qstash.deliver",
};
const VERB: Record<string, string> = { post: "create", patch: "update", put: "set", delete: "delete" };

const camel = (segment: string) => segment.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function operationIdOf(method: string, path: string): string {
  const named = NAMED[`${method.toUpperCase()} ${path}`];
  if (named) return named;
  const segments = path.replace(/^\/v1\//, "/").split("/").filter(Boolean);
  const last = segments.at(-1) ?? "";
  const onItem = last.startsWith("{");
  const names = segments.filter((s) => !s.startsWith("{")).map(camel);
  const m = method.toLowerCase();
  // POST /v1/appointments/{id}/cancel: an action on an item is named by the action.
  if (m === "post" && !onItem && segments.length >= 3 && segments.at(-2)?.startsWith("{") && !["comments", "time-logs", "runs"].includes(last)) {
    return names.join(".");
  }
  const verb = m === "get" ? (onItem || SINGLETONS.has(path) ? "get" : "list") : VERB[m] ?? m;
  return [...names, verb].join(".");
}
