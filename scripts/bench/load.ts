// A small, bounded HTTP load loop on fetch (no autocannon): sequential requests for latency and
// N concurrent workers for throughput. Every loop stops at a request count and a deadline,
// whichever comes first; every request has its own timeout.

export interface RequestSpec {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status a successful request answers with. */
  expect: number;
}

export interface LoadResult {
  /** Latency of each successful request, ms. */
  latencies: number[];
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

async function once(spec: RequestSpec, stop?: AbortSignal): Promise<{ ms: number; error?: string }> {
  const start = performance.now();
  try {
    const res = await fetch(spec.url, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      signal: stop ? AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text(); // read fully: part of the latency, frees the connection
    const ms = performance.now() - start;
    if (res.status !== spec.expect) return { ms, error: `${spec.method} ${new URL(spec.url).pathname} → ${res.status}: ${text.slice(0, 300)}` };
    return { ms };
  } catch (e) {
    return { ms: performance.now() - start, error: `${spec.method} ${spec.url}: ${(e as Error).message}` };
  }
}

/**
 * `concurrency` workers issue requests until `maxRequests` were started, `maxMs` passed or
 * `stop` aborted.
 */
export async function load(
  make: () => RequestSpec,
  options: { concurrency: number; maxRequests: number; maxMs: number; stop?: AbortSignal },
): Promise<LoadResult> {
  const result: LoadResult = { latencies: [], ok: 0, errors: 0, seconds: 0 };
  const start = performance.now();
  const deadline = start + options.maxMs;
  let started = 0;
  const worker = async () => {
    while (started < options.maxRequests && performance.now() < deadline && !options.stop?.aborted) {
      started++;
      const r = await once(make(), options.stop);
      if (r.error) {
        result.errors++;
        result.firstError ??= r.error;
      } else {
        result.ok++;
        result.latencies.push(r.ms);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
