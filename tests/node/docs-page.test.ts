// GET /docs in a real browser: the reference renders every tag of /openapi.json and loads nothing
// from outside the Worker (no CDN, fonts, hosted buttons, telemetry or proxy). The Worker runs under
// `wrangler dev`, as `npm run dev` runs it (static assets included), against the test stack;
// Debian's Chromium, driven by playwright-core, logs every request the page and its workers make,
// WebSockets, service workers, and what the page's CSP refused (a refused load never reaches the
// network, but shows what the page tried).
import type { ChildProcess } from "node:child_process";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM, chromiumInstalled } from "../../scripts/lib/ensure-chromium.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { startWrangler, waitForHealthy } from "../../scripts/lib/wrangler.ts";

interface Seen {
  kind: string;
  url: string;
}

// The callbacks given to page.evaluate and addInitScript run in the page; the project's tsconfig
// has no DOM library, so the little of it they use is declared here.
interface PageElement {
  textContent: string | null;
  href?: string;
}
declare const document: {
  querySelectorAll(selector: string): Iterable<PageElement>;
  addEventListener(type: "securitypolicyviolation", listener: (e: { blockedURI: string; effectiveDirective: string }) => void): void;
};
declare const window: { __cspRefused(url: string, directive: string): Promise<void> };
declare const location: { origin: string };

let wrangler: ChildProcess | undefined;
let browser: Browser | undefined;
let base: string;

// Without Chromium the test fails (it is not skipped), saying how to install it.
const NO_CHROMIUM =
  `${CHROMIUM} is missing: this test drives Debian's Chromium. Install it as root: apt-get install -y chromium ` +
  "(`npm test` does this by itself when run as root: scripts/lib/ensure-chromium.ts)";

beforeAll(async () => {
  if (!chromiumInstalled()) return;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  wrangler = startWrangler({
    port,
    connectionString: inject("databaseUrl"),
    vars: inject("workerBindings"),
    inspectorPort: await freePort(),
    quiet: true,
  });
  await waitForHealthy(base, 90_000, wrangler);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Root (CI) needs --no-sandbox; the rest keeps Chromium's own background traffic (updates,
    // sync, field trials) off a machine with no route out. Page requests are logged regardless.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 30_000,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (wrangler && wrangler.exitCode === null && wrangler.signalCode === null) {
    const exited = new Promise((resolve) => wrangler!.once("exit", resolve));
    wrangler.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill("SIGKILL");
  }
}, 30_000);

/** Every tag the document's operations use, and any declared at the top level. */
async function documentTags(): Promise<string[]> {
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
    tags?: { name: string }[];
    paths: Record<string, Record<string, { tags?: string[] }>>;
  };
  const tags = new Set((doc.tags ?? []).map((t) => t.name));
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) for (const tag of op.tags ?? []) tags.add(tag);
  return [...tags].sort();
}

/** Opens /docs with every request, WebSocket, service worker and CSP refusal logged. */
async function openDocs(b: Browser): Promise<{ page: Page; seen: Seen[] }> {
  const seen: Seen[] = [];
  const context = await b.newContext({ serviceWorkers: "allow" });
  context.on("request", (r) => seen.push({ kind: r.resourceType(), url: r.url() }));
  context.on("serviceworker", (w) => seen.push({ kind: "service worker", url: w.url() }));
  await context.exposeBinding("__cspRefused", (_source, url: string, directive: string) => {
    seen.push({ kind: `refused by CSP (${directive})`, url });
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      void window.__cspRefused(e.blockedURI, e.effectiveDirective);
    });
  });
  const page = await context.newPage();
  page.on("websocket", (ws) => seen.push({ kind: "websocket", url: ws.url() }));
  page.on("worker", (w) => seen.push({ kind: "worker", url: w.url() }));
  return { page, seen };
}

// Scalar's hosted features (its agent, MCP, developer tools with Share and Deploy, the hosted API
// client) by their labels in @scalar/api-reference 1.72; docs.ts turns them off.
const HOSTED = ["Ask AI", "Generate MCP", "Connect MCP", "Developer Tools", "Configure", "Share", "Deploy", "Open API Client"];
// The one link out that stays: the "Powered by Scalar" credit (a plain link, loads nothing).
const CREDIT = "https://www.scalar.com/";

/** What the rendered reference shows: texts of its elements (not CSS-transformed), links out. */
const rendered = (page: Page) =>
  page.evaluate(() => ({
    texts: [...new Set([...document.querySelectorAll("#app *")].map((e) => e.textContent?.trim() ?? ""))].filter((t) => t.length <= 100),
    linksOut: [...document.querySelectorAll("a[href]")].map((a) => a.href ?? "").filter((href) => /^https?:/.test(href) && !href.startsWith(`${location.origin}/`)),
  }));

describe("GET /docs in a browser", () => {
  it("renders every tag of /openapi.json and requests nothing outside the Worker", async () => {
    expect(chromiumInstalled(), NO_CHROMIUM).toBe(true);
    const tags = await documentTags();
    expect(tags.length).toBeGreaterThan(5);
    const { page, seen } = await openDocs(browser!);
    const list = () => seen.map((s) => `  ${s.kind.padEnd(28)} ${s.url}`).join("\n");
    await page.goto(`${base}/docs`, { waitUntil: "load", timeout: 30_000 });
    // Rendered once every tag is on the page (the sidebar lists them all); then late loads (fonts,
    // lazy chunks, a service worker's own fetches) show up by the time the network is idle.
    const allTagsShown = (names: string[]) => {
      const texts = new Set([...document.querySelectorAll("#app *")].map((e) => e.textContent?.trim()));
      return names.every((name) => texts.has(name));
    };
    await page.waitForFunction(allTagsShown, tags, { timeout: 45_000, polling: 250 }).catch(() => undefined);
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
    const { texts, linksOut } = await rendered(page);

    expect(tags.filter((t) => !texts.includes(t)), `tags missing from the rendered page; requests:\n${list()}`).toEqual([]);
    const origin = new URL(base).origin;
    const outside = seen.filter(({ url }) => /^(https?|wss?):/.test(url) && new URL(url.replace(/^ws/, "http")).origin !== origin);
    expect(outside.map((s) => `${s.kind} ${s.url}`), `the page reached outside ${origin}; every request:\n${list()}`).toEqual([]);
    expect(seen.some((s) => s.url === `${origin}/vendor/scalar/standalone.js`), `the reference's script did not come from this Worker:\n${list()}`).toBe(true);
    expect(HOSTED.filter((label) => texts.includes(label)), "Scalar's hosted features on the page").toEqual([]);
    expect(linksOut.filter((href) => href !== CREDIT), "links out of the Worker on the page").toEqual([]);
    console.log(`docs page: ${tags.length} tags rendered, nothing loaded from outside ${origin}:\n${list()}`);
  }, 120_000);
});
