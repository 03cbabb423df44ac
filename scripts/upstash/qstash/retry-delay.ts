// Retry delays. Default: Upstash's curve, min(86400, e^(2.5·n)) seconds for the n-th retry.
// `Upstash-Retry-Delay` may instead give an expression in milliseconds over `retried` (retries
// so far, from 0) with + - * / ( ) and pow sqrt abs exp floor ceil round min max; it is parsed
// here by a tiny recursive-descent parser, never eval().

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: Math.pow, sqrt: Math.sqrt, abs: Math.abs, exp: Math.exp, floor: Math.floor,
  ceil: Math.ceil, round: Math.round, min: Math.min, max: Math.max,
};
const DAY_MS = 86_400_000;

/** Upstash's default backoff in ms before retry number `n` (1-based). */
export function defaultBackoffMs(n: number): number {
  return Math.min(DAY_MS, Math.exp(2.5 * n) * 1000);
}

export function evaluateRetryDelay(expression: string, retried: number): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[A-Za-z_]+|[-+*/(),]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const token = tokens[i++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`invalid retry delay expression ${JSON.stringify(expression)}`);
    }
    return token;
  };
  const primary = (): number => {
    const token = take();
    if (token === "(") {
      const value = sum();
      take(")");
      return value;
    }
    if (token === "-") return -primary();
    if (token === "+") return primary();
    if (/^\d/.test(token)) return Number(token);
    if (token === "retried") return retried;
    const fn = FUNCTIONS[token];
    if (!fn) throw new Error(`unknown name ${JSON.stringify(token)} in retry delay expression`);
    take("(");
    const args = [sum()];
    while (peek() === ",") {
      take(",");
      args.push(sum());
    }
    take(")");
    return fn(...args);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === "*" || peek() === "/") value = take() === "*" ? value * primary() : value / primary();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === "+" || peek() === "-") value = take() === "+" ? value + product() : value - product();
    return value;
  };
  const result = sum();
  if (i !== tokens.length || !Number.isFinite(result)) throw new Error(`invalid retry delay expression ${JSON.stringify(expression)}`);
  return Math.min(DAY_MS, Math.max(0, result));
}
