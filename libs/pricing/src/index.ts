export { formatUsd, parseUsd, usdScale, usdToNumber } from './money';
export { priceFromEntry } from './model-price';
export type { LiteLlmPriceEntry, ModelPrice } from './model-price';
export { computeCost } from './compute-cost';
export type { CostBreakdown } from './compute-cost';
export { PriceBook, defaultPrice } from './price-book';
export type { PricedDeployment, UnpricedPolicy } from './price-book';
export { unpricedPolicyFrom } from './unpriced-policy';
