// Small helpers shared by the scenarios: sleeping, bounded waiting, statistics, PRNG.

export const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

/** Yields to the event loop once (lets sockets be read and written). */
export const tick = () => new Promise(resolve => setImmediate(resolve))

/**
 * Polls `cond` every `intervalMs` until it is truthy; throws after `timeoutMs`. `what` (a string,
 * or a function giving one when the wait fails) names the condition in the error.
 * Only for setup phases: measured phases use events, not polling.
 */
export async function waitUntil (cond, { timeoutMs = 30000, intervalMs = 10, what = 'condition' } = {}) {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`)
    await sleep(intervalMs)
  }
}

/** Rejects if `promise` has not settled within `ms`. */
export function withTimeout (promise, ms, what) {
  let timer
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export function median (xs) {
  const v = xs.filter(x => Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const m = v.length >> 1
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2
}

/** Nearest-rank percentile (p in 0..100) of a numeric array or typed array (sorted in place). */
export function percentile (xs, p) {
  if (xs.length === 0) return null
  xs.sort((a, b) => a - b)
  const rank = Math.min(xs.length, Math.max(1, Math.ceil(p / 100 * xs.length)))
  return xs[rank - 1]
}

/** Deterministic PRNG (mulberry32) so every run edits the same way. */
export function prng (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

