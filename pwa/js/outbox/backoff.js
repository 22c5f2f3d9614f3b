// Retry timing of the outbox (docs/SYNC.md): start at 1 s, double, cap at 5 minutes, with ±25 % jitter
// (never above the cap) so that a hundred phones coming out of the same basement do not all knock
// at the same moment.
export const FIRST_DELAY_MS = 1000;
export const LONGEST_DELAY_MS = 5 * 60 * 1000;
const JITTER = 0.25;

export function retryDelay(attempts, random = Math.random) {
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_DELAY_MS);
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, LONGEST_DELAY_MS));
}
