// Benchmark configuration: defaults, the --quick profile, and command-line parsing.
// Every size and time limit of every scenario lives here, so runs are bounded and reproducible.

import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
export const REPO_ROOT = path.dirname(BENCH_DIR)

/** Full-size configuration (the figures in docs/benchmarks.md come from this). */
export const DEFAULTS = {
  runs: 3,
  servers: ['ywss', 'samskriv'],
  scenarios: ['b4', 'fanout', 'memory', 'coldload'],
  samskrivBin: path.join(REPO_ROOT, 'target/release/samskriv'),
  out: path.join(BENCH_DIR, 'results.json'),
  keepLogs: null, // a directory to copy every server log into (--keep-logs DIR)
  // Give y-websocket's server LevelDB persistence in every scenario (default: only cold load needs it).
  ywssPersistAll: false,
  // Other work on the machine (a build, a fuzzer) distorts every figure. Before each run the bench
  // waits until other processes use less than `cores` (at most maxWaitSec); a run during which they
  // used more is marked disturbed and repeated, at most `retries` times.
  quiet: { cores: 0.2, maxWaitSec: 600, retries: 2 },
  // Hard limit for the whole command; the driver kills the servers and exits past it.
  totalTimeoutMin: 170,
  b4: {
    trace: path.join(REPO_ROOT, '../shared/data/automerge-paper.json.gz'),
    patches: 0, // 0 = the whole trace (259,778 patches)
    yieldEvery: 256, // patches applied between two yields to the event loop
    maxBuffered: 1 << 20, // bytes in the writer's socket buffer before it waits
    // Characters the receiver may trail the writer by before the writer waits. Keep it well below
    // Samskriv's --send-queue (4096 frames per connection), or a lagging receiver is disconnected.
    maxLagClock: 1000,
    timeoutSec: 900
  },
  fanout: {
    clients: 100,
    ratePerSec: 1, // edits per second per client (2/s saturates the clients on 2 cores, see docs)
    workers: 2, // worker threads the clients are spread over
    durationSec: 20,
    drainTimeoutSec: 30, // after the last edit, time allowed for the last deliveries
    timeoutSec: 180
  },
  memory: {
    docs: 1000,
    clientsPerDoc: 2,
    connectBatch: 50, // connections opened concurrently
    settleSec: 2, // wait after the last edit (and after idle) before reading VmRSS
    timeoutSec: 300
  },
  coldload: {
    updates: 50000,
    yieldEvery: 200,
    timeoutSec: 600
  }
}

/** Smaller sizes for a quick check (--quick): one run, minutes instead of tens of minutes. */
export const QUICK = {
  runs: 1,
  b4: { patches: 30000 },
  fanout: { durationSec: 5 },
  memory: { docs: 200 },
  coldload: { updates: 5000 },
  quiet: { maxWaitSec: 60, retries: 0 }
}

const USAGE = `usage: node bench/run.mjs [options]
  --quick                 one run, smaller sizes
  --runs N                repetitions per scenario and server (default 3)
  --server ywss|samskriv|both
  --scenario LIST         comma-separated subset of b4,fanout,memory,coldload
  --samskriv-bin PATH     default target/release/samskriv
  --ywss-persist-all      run y-websocket with LevelDB persistence in every scenario
  --set section.key=VALUE override any number in the config (e.g. --set fanout.durationSec=10)
  --out FILE              results JSON (default bench/results.json)
  --keep-logs DIR         copy each server's log to DIR`

const clone = (o) => JSON.parse(JSON.stringify(o))

/** Parses argv into a config object; exits with usage on bad input. */
export function parseArgs (argv) {
  const cfg = clone(DEFAULTS)
  const fail = (msg) => { console.error(msg + '\n' + USAGE); process.exit(2) }
  const args = argv.slice()
  if (args.includes('--quick')) {
    cfg.runs = QUICK.runs
    for (const k of ['b4', 'fanout', 'memory', 'coldload', 'quiet']) Object.assign(cfg[k], QUICK[k])
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const next = () => { if (i + 1 >= args.length) fail(`missing value for ${a}`); return args[++i] }
    if (a === '--quick') continue
    if (a === '--help' || a === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (a === '--runs') {
      cfg.runs = parsePositive(next(), fail)
    } else if (a === '--server') {
      const v = next()
      if (v === 'both') cfg.servers = ['ywss', 'samskriv']
      else if (v === 'ywss' || v === 'samskriv') cfg.servers = [v]
      else fail(`bad --server ${v}`)
    } else if (a === '--scenario') {
      const list = next().split(',').map(s => s.trim()).filter(Boolean)
      for (const s of list) if (!DEFAULTS.scenarios.includes(s)) fail(`unknown scenario ${s}`)
      cfg.scenarios = DEFAULTS.scenarios.filter(s => list.includes(s))
    } else if (a === '--samskriv-bin') cfg.samskrivBin = path.resolve(next())
    else if (a === '--ywss-persist-all') cfg.ywssPersistAll = true
    else if (a === '--out') cfg.out = path.resolve(next())
    else if (a === '--keep-logs') cfg.keepLogs = path.resolve(next())
    else if (a === '--set') {
      const m = /^(\w+)\.(\w+)=(.+)$/.exec(next())
      if (!m || !cfg[m[1]] || typeof cfg[m[1]] !== 'object' || !(m[2] in cfg[m[1]])) fail('bad --set')
      const n = Number(m[3])
      if (!Number.isFinite(n) || n < 0) fail('--set needs a non-negative number')
      cfg[m[1]][m[2]] = n
    } else fail(`unknown argument ${a}`)
  }
  return cfg
}

function parsePositive (v, fail) {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 100) fail(`bad number ${v}`)
  return n
}
