// Polls until a condition holds, for things that happen on their own time (QStash deliveries,
// schedules). Fails with what it waited for and the last value or error seen.
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Resolves with the first truthy value `probe` returns; throws after `timeoutMs` naming `what`.
 * A probe that throws counts as "not yet" (its last error is reported on timeout).
 */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started >= timeoutMs) {
      const seen = last instanceof Error ? `last error: ${last.message}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`waitFor: ${what} did not happen within ${timeoutMs} ms (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
