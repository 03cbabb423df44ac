// Clients generate cleanly from the OpenAPI document: every operation has a stable, unique
// operationId; openapi-typescript's types type-check a small openapi-fetch client program (and
// refuse a body that does not match the schema); a real linter (Redocly, recommended rules)
// finds no errors. The document is the one the Worker serves, built from the same route modules.
import { execFileSync } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import openapiTS, { astToString } from "openapi-typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../functions/app.ts";
import { openApiInfo } from "../../functions/routes/meta/openapi.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Inside node_modules so the program resolves openapi-fetch like any module here.
const dir = `${root}node_modules/.cache/ai-office-openapi-client`;

type Operation = { operationId?: string };
let doc: ReturnType<ReturnType<typeof buildApp>["getOpenAPI31Document"]>;

beforeAll(() => {
  doc = buildApp().getOpenAPI31Document(openApiInfo);
});

const operations = () =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, id: op.operationId })),
  );

const CLIENT = `import createClient from "openapi-fetch";
import type { paths } from "./api";

const client = createClient<paths>({ baseUrl: "https://api.example.test" });

export async function tour(taskId: string): Promise<void> {
  const me = await client.GET("/v1/me");
  if (me.data) {
    const id: string = me.data.user.id;
    const permissions: string[] = me.data.permissions;
    void id, permissions;
  }
  const created = await client.POST("/v1/tasks", { body: { title: "Call back" }, headers: { "idempotency-key": "k-1" } });
  if (created.data) void (created.data.id satisfies string);
  const page = await client.GET("/v1/tasks", { params: { query: { limit: 10, status: "open" } } });
  for (const t of page.data?.data ?? []) void (t.title satisfies string);
  const one = await client.GET("/v1/tasks/{id}", { params: { path: { id: taskId } } });
  if (one.error) void (one.error.code satisfies string);
  // @ts-expect-error the body must match the schema (no such field)
  await client.POST("/v1/tasks", { body: { titel: "typo" } });
}
`;

describe("the OpenAPI document as client generators see it", () => {
  it("gives every operation a unique operationId", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    expect(ops.filter((o) => !o.id).map((o) => o.key)).toEqual([]);
    const ids = ops.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.fromEntries(ops.map((o) => [o.key, o.id]))).toMatchObject({
      "POST /v1/tasks": "tasks.create",
      "GET /v1/tasks/{id}": "tasks.get",
      "POST /v1/appointments/{id}/cancel": "appointments.cancel",
    });
  });

  it("generates TypeScript types (openapi-typescript) that type-check an openapi-fetch client", { timeout: 120_000 }, async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0]);
    await writeFile(`${dir}/api.d.ts`, astToString(ast));
    await writeFile(`${dir}/client.ts`, CLIENT);
    await writeFile(
      `${dir}/tsconfig.json`,
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "ESNext", moduleResolution: "Bundler", target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: true }, files: ["client.ts"] }),
    );
    let output = "";
    try {
      execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${dir}/tsconfig.json`], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe("");
  });

  it("passes Redocly's recommended rules with no errors", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: "openapi.json", config });
    const errors = problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`);
    const warnings = problems.filter((p) => p.severity === "warn");
    console.log(`redocly lint (recommended): ${errors.length} errors, ${warnings.length} warnings`);
    expect(errors).toEqual([]);
  });
});
