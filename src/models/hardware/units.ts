export const MIB = 1024 ** 2;
export const GIB = 1024 ** 3;

/**
 * Bytes as GiB for people ("11.8 GiB"): the one formatter for memory sizes. One decimal for
 * hardware, two where estimates are compared (a plan's weights, KV cache and budgets).
 */
export function formatGiB(bytes: number, fractionDigits = 1): string {
  return `${(bytes / GIB).toFixed(fractionDigits)} GiB`;
}
