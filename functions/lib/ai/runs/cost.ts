// What a model call costs, in USD, from its tokens. The rates are MiniMax-M2's list prices per
// million tokens (the default provider); a deployment on another model changes them here.
export const PRICE_PER_MILLION = { in: 0.3, out: 1.2 } as const;

export const costUsd = (tokensIn: number, tokensOut: number) =>
  Math.round(((tokensIn * PRICE_PER_MILLION.in + tokensOut * PRICE_PER_MILLION.out) / 1_000_000) * 1e6) / 1e6;
