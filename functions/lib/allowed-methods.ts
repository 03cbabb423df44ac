// Which methods a path serves, from the registered routes (the OpenAPI registry plus the few
// plain routes), so a request with another method is 405 with `Allow`, not 404.
import type { App } from "../types.ts";

export function allowedMethods(app: App): (path: string) => string[] {
  const routes: { pattern: RegExp; method: string }[] = [];
  const add = (method: string, path: string) => {
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\\{[^}]+\\\}|\{[^}]+\}|:[A-Za-z0-9_]+/g, "[^/]+");
    routes.push({ pattern: new RegExp(`^${source}$`), method: method.toUpperCase() });
  };
  for (const d of app.openAPIRegistry.definitions) if (d.type === "route") add(d.route.method, d.route.path);
  for (const r of app.routes) if (r.method !== "ALL" && !r.path.includes("*")) add(r.method, r.path);
  return (path) => {
    const methods = new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  };
}
