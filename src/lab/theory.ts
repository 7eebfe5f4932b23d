/**
 * What theory says the lab should measure (pure: the CLI, the batch and the Lab page share it).
 *
 * - `nakamotoCatchUp(q, z)`: the Bitcoin whitepaper's §11, as printed there (its C function): the
 *   probability that an attacker with a share q of the hash power ever catches up from z blocks
 *   behind, its progress while the honest chain found z blocks taken as Poisson(z q/p).
 * - `labCatchUp(q, k, giveUpBehind)`: the same race under the lab's own rules, exactly: the
 *   attacker's blocks while the honest chain finds k are negative binomial (a race of two Poisson
 *   processes, as Rosenfeld 2014 points out), a tie is not enough (first seen wins a tie: the
 *   attacker needs one block more), and the attacker gives up once the public chain is
 *   `giveUpBehind` blocks ahead. Unlike §11, it is 0 for q = 0 and q / p, not 1, for k = 0.
 * - `selfishRevenue(alpha, gamma)`: Eyal and Sirer's relative revenue of a selfish miner with a
 *   share alpha, gamma the share of honest miners that mine on its block in a tie.
 * - `wilson(successes, trials)`: the Wilson score interval of a measured rate (95 %).
 */

/** The whitepaper's §11 function, term for term (z: the blocks the merchant waits for). */
export function nakamotoCatchUp(q: number, z: number): number {
  const p = 1 - q;
  if (q >= p) return 1;
  const lambda = z * (q / p);
  let sum = 1;
  let poisson = Math.exp(-lambda);
  for (let k = 0; k <= z; k++) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1 - (q / p) ** (z - k));
  }
  return sum;
}

/**
 * The chance that a random walk that moves toward the attacker's goal with probability q (its
 * block) and away with p = 1 - q (an honest block) takes `steps` steps toward it before it has
 * gone `limit` steps (from the goal) away: the gambler's ruin with two walls.
 */
function reachesFirst(q: number, steps: number, limit: number): number {
  if (steps <= 0) return 1;
  if (steps >= limit) return 0;
  const p = 1 - q;
  if (!Number.isFinite(limit)) return q >= p ? 1 : (q / p) ** steps;
  if (q === p) return (limit - steps) / limit;
  const r = q / p;
  return (r ** steps - r ** limit) / (1 - r ** limit);
}

/**
 * The lab's majority attack, exactly: both sides start mining at once from the same tip (the
 * payment already in the honest miner's pool); the merchant ships when the honest chain has k
 * blocks (k = 0: at once); the attacker then releases as soon as its branch is longer, or gives
 * up when the public chain is `giveUpBehind` blocks ahead (checked from the shipping on).
 */
export function labCatchUp(q: number, k: number, giveUpBehind = Number.POSITIVE_INFINITY): number {
  const p = 1 - q;
  if (q >= 1) return 1;
  if (q <= 0) return 0;
  // m attacker blocks before the honest chain's k-th: C(m + k - 1, m) p^k q^m (k = 0: m = 0).
  let total = 0;
  let behindOrEven = 0;
  let chance = k === 0 ? 1 : p ** k;
  for (let m = 0; m <= k; m++) {
    if (m > 0) chance *= (q * (m + k - 1)) / m;
    behindOrEven += chance;
    // k - m behind: k - m + 1 blocks to be ahead; giving up at giveUpBehind behind.
    total += chance * reachesFirst(q, k - m + 1, giveUpBehind + 1);
  }
  // More than k attacker blocks: already ahead when the merchant ships.
  return total + Math.max(0, 1 - behindOrEven);
}

/** Eyal and Sirer (2014), the selfish pool's share of the main chain's blocks. */
export function selfishRevenue(alpha: number, gamma: number): number {
  const a = alpha;
  const numerator = a * (1 - a) ** 2 * (4 * a + gamma * (1 - 2 * a)) - a ** 3;
  const denominator = 1 - a * (1 + (2 - a) * a);
  return numerator / denominator;
}

/** The share above which selfish mining pays more than honest mining: (1 - gamma) / (3 - 2 gamma). */
export function selfishThreshold(gamma: number): number {
  return (1 - gamma) / (3 - 2 * gamma);
}

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** The Wilson score interval of `successes` out of `trials` (0 trials: [0, 1]). */
export function wilson(successes: number, trials: number, z = Z95): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const rate = successes / trials;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * trials)) / (1 + z2 / trials);
  const half =
    (z / (1 + z2 / trials)) * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials));
  // At 0 or n successes the bound is exactly 0 or 1 (rounding would leave 1e-17 off it).
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}
