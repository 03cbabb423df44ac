// A batch of exactly `size` requests (sent concurrently, digests checked once per batch) that
// still shrinks to fewer: fast-check's own arrays cannot shrink below their minimum length, and a
// counterexample should be the one request that fails, not the fifteen that happened to be beside it.
import fc from "fast-check";

export class BatchArbitrary<T> extends fc.Arbitrary<T[]> {
  constructor(
    private readonly item: fc.Arbitrary<T>,
    private readonly size: number,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T[]> {
    return wrap(Array.from({ length: this.size }, () => this.item.generate(mrng, biasFactor)));
  }

  canShrinkWithoutContext(value: unknown): value is T[] {
    void value;
    return false;
  }

  shrink(_value: T[], context: unknown): fc.Stream<fc.Value<T[]>> {
    if (!Array.isArray(context)) return fc.Stream.nil();
    return fc.stream(this.candidates(context as fc.Value<T>[]));
  }

  /** Halves first (a lone failing request is found in log2(size) steps), then one fewer, then each request shrunk. */
  private *candidates(items: fc.Value<T>[]): IterableIterator<fc.Value<T[]>> {
    if (items.length > 1) {
      const mid = Math.ceil(items.length / 2);
      yield wrap(items.slice(0, mid));
      yield wrap(items.slice(mid));
      for (let i = 0; i < items.length; i++) yield wrap(items.filter((_, j) => j !== i));
    }
    for (let i = 0; i < items.length; i++) {
      const current = items[i]!;
      for (const smaller of this.item.shrink(current.value_, current.context)) {
        yield wrap(items.map((v, j) => (j === i ? smaller : v)));
      }
    }
  }
}

const wrap = <T>(items: fc.Value<T>[]) => new fc.Value(items.map((v) => v.value), items);
