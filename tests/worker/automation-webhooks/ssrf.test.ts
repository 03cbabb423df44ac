// SSRF: target URLs must be HTTPS on a public host. Refused when saved (400 at body.url), and
// again when sent: an endpoint whose URL went bad (written straight into the table, as a row
// from before the check would be) records the delivery as refused and no request leaves.
import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../../../functions/lib/ssrf/index.ts";
import { withAdmin } from "../../support/db.ts";
import { expectProblem } from "../../support/expect.ts";
import { call, json } from "../../support/http.ts";
import { seedTenant } from "../../support/seed.ts";
import { createCustomer, createEndpoint, deliverAttempt, deliveries, recorder, takeQueued } from "./harness.ts";

const rec = recorder();

// The list, then the rest of the brief's: every notation, embedded and metadata forms.
const REFUSED = [
  "https://127.0.0.1/hook",
  "https://10.0.0.1/hook",
  "https://169.254.169.254/latest/meta-data",
  "https://[::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://0x7f000001/hook",
  "https://2130706433/hook",
  "http://receiver.example.com/hook",
  "http://8.8.8.8/hook",
  "https://localhost/hook",
  "https://0177.0.0.1/hook",
  "https://127.1/hook",
  "https://0x7f.1/hook",
  "https://%31%32%37.0.0.1/hook",
  "https://192.168.1.10/hook",
  "https://172.16.0.1/hook",
  "https://100.64.0.1/hook",
  "https://0.0.0.0/hook",
  "https://224.0.0.1/hook",
  "https://[fd00:ec2::254]/hook",
  "https://[fe80::1]/hook",
  "https://[::]/hook",
  "https://[::7f00:1]/hook",
  "https://[::ffff:a9fe:a9fe]/hook",
  "https://[64:ff9b::a9fe:a9fe]/hook",
  "https://[2002:7f00:1::1]/hook",
  "https://[ff02::1]/hook",
  "https://metadata.google.internal/computeMetadata/v1",
  "https://app.localhost/hook",
  "https://printer.local/hook",
  "https://nas.home.arpa/hook",
  "https://intranet/hook",
  "https://receiver.example.com./hook",
  "https://localhost./hook",
  "https://user:pass@receiver.example.com/hook",
  "ftp://receiver.example.com/hook",
  "not a url",
];

describe("SSRF guard", () => {
  it("refuses every private, local or non-HTTPS target in the raw string and in what URL parsing makes of it", () => {
    for (const raw of REFUSED) {
      expect(checkOutboundUrl(raw), raw).toMatchObject({ ok: false });
      try {
        const normalised = new URL(raw).toString();
        expect(checkOutboundUrl(normalised), `${raw} as ${normalised}`).toMatchObject({ ok: false });
      } catch {
        // not a URL at all: refused above
      }
    }
    for (const ok of ["https://receiver.example.com/hook", "https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook", "https://hooks.example.com:8443/x?y=1"]) {
      expect(checkOutboundUrl(ok), ok).toMatchObject({ ok: true });
    }
  });

  it("refuses them when an endpoint is saved: 400 at body.url, nothing stored", { timeout: 60_000 }, async () => {
    const t = await seedTenant();
    const owner = await t.owner.token();
    // Creating is limited to 30 an hour per business: the list on create, all on change.
    for (const url of REFUSED.slice(0, 9)) {
      const res = await call("/v1/automation/webhooks", { method: "POST", token: owner, body: { url } });
      const problem = await expectProblem(res, 400, "bad_request");
      expect(problem.errors, url).toEqual([{ path: "body.url", message: expect.any(String) }]);
    }
    const one = await call("/v1/automation/webhooks", { method: "POST", token: owner, body: { url: "https://0x7f000001/hook" } });
    const problem = await json<{ errors: { path: string; message: string }[] }>(one);
    expect(problem.errors).toEqual([{ path: "body.url", message: expect.stringMatching(/not public: a loopback IPv4 address/) }]);
    const endpoint = await createEndpoint(t);
    for (const url of REFUSED) {
      const patched = await call(`/v1/automation/webhooks/${endpoint.id}`, { method: "PATCH", token: owner, body: { url } });
      const refused = await expectProblem(patched, 400, "bad_request");
      expect(refused.errors, url).toEqual([{ path: "body.url", message: expect.any(String) }]);
    }
    const list = await json<{ data: { url: string }[] }>(await call("/v1/automation/webhooks", { token: owner }));
    expect(list.data.map((e) => e.url)).toEqual([endpoint.url]);
  });

  it("refuses a stored bad URL again at send time: the delivery is recorded as refused and no request leaves", { timeout: 60_000 }, async () => {
    const t = await seedTenant();
    const bad = ["https://127.0.0.1/hook", "https://2130706433/hook", "https://[::ffff:169.254.169.254]/hook", "https://metadata.google.internal/hook"];
    const ids = await withAdmin(async (c) => {
      const out: string[] = [];
      for (const url of bad) {
        const { rows } = await c.query<{ id: string }>(
          "insert into public.webhook_endpoints (tenant_id, url, created_by) values ($1, $2, $3) returning id",
          [t.id, url, t.owner.id],
        );
        await c.query("insert into public.webhook_secrets (tenant_id, endpoint_id, secret) values ($1, $2, $3)", [t.id, rows[0]!.id, `whsec_${btoa("k".repeat(32))}`]);
        out.push(rows[0]!.id);
      }
      return out;
    });
    await createCustomer(t);
    const queued = await takeQueued(t.id);
    expect(queued).toHaveLength(bad.length);
    for (const q of queued) {
      const res = await deliverAttempt(q.payload);
      expect(res.status).toBe(200);
      expect((await json<{ result: { outcome: string } }>(res)).result.outcome).toBe("refused");
    }
    // Nothing was fetched at all: not the receiver, not the addresses.
    expect(rec.requests).toEqual([]);
    expect(rec.all.filter((u) => !u.includes("/hooks/qstash/") && !/^https?:\/\/(127\.0\.0\.1|localhost):\d+\//.test(u))).toEqual([]);
    for (const id of ids) {
      const [delivery] = await deliveries(t, id);
      expect(delivery!.status).toBe("refused");
      expect(delivery!.attemptLog).toEqual([expect.objectContaining({ outcome: "refused", statusCode: null, error: expect.stringMatching(/^refused before sending: /) })]);
    }
  });
});
