// Scenario fan-out: `clients` editors (real providers) on one document, each setting its own
// Y.Map entry to {t: send time, n} at a steady rate; every other client receives the update and
// records latency = receive time - t. Server CPU per delivered update = server CPU over the
// measured phase / (edits x (clients - 1)); the phase runs from the first edit until every
// expected delivery arrived (or the drain time limit passed).
//
// The clients run in `workers` worker threads of the bench process (see fanout-worker.mjs):
// applying 99 incoming updates per edit in Yjs costs the clients far more CPU than the server
// spends, and one Node thread would saturate and measure itself. Send and receive times use
// process.hrtime (CLOCK_MONOTONIC), one clock for every thread of the process.

import { Worker } from 'node:worker_threads'
import { cpuMeter } from '../proc.mjs'
import { withTimeout } from '../util.mjs'

const WORKER = new URL('../fanout-worker.mjs', import.meta.url)
const nowMs = () => Number(process.hrtime.bigint()) / 1e6

export async function runFanout (server, cfg) {
  const c = cfg.fanout
  const docId = `fanout-${Date.now()}`
  const nWorkers = Math.max(1, Math.min(c.workers, c.clients))
  const editsPerClient = Math.round(c.ratePerSec * c.durationSec)
  const workers = []
  const inbox = [] // per worker: queue of messages and waiters
  try {
    for (let w = 0; w < nWorkers; w++) {
      const indexes = []
      for (let i = w; i < c.clients; i += nWorkers) indexes.push(i)
      const worker = new Worker(WORKER, {
        workerData: { wsBase: server.wsBase, docId, params: server.params(docId), indexes, clients: c.clients, ratePerSec: c.ratePerSec, editsPerClient, drainTimeoutSec: c.drainTimeoutSec, timeoutSec: c.timeoutSec }
      })
      const box = { msgs: [], waiters: [], error: null }
      worker.on('message', m => { const f = box.waiters.shift(); f ? f(m) : box.msgs.push(m) })
      worker.on('error', e => { box.error = e; for (const f of box.waiters.splice(0)) f({ type: 'error', message: e.message }) })
      worker.on('exit', code => { if (code !== 0) for (const f of box.waiters.splice(0)) f({ type: 'error', message: `worker exited ${code}` }) })
      workers.push(worker)
      inbox.push(box)
    }
    const receive = (w, what, ms) => withTimeout(new Promise(resolve => {
      const box = inbox[w]
      if (box.error) resolve({ type: 'error', message: box.error.message })
      else if (box.msgs.length) resolve(box.msgs.shift())
      else box.waiters.push(resolve)
    }), ms, what).then(m => { if (m.type === 'error') throw new Error(`fan-out worker: ${m.message}`); return m })

    // Connect worker by worker (each connects its clients in batches) and wait for sync.
    for (let w = 0; w < nWorkers; w++) {
      workers[w].postMessage({ type: 'connect' })
      await receive(w, 'clients to connect and sync', 60000)
    }

    const cpu = cpuMeter(server.pid)
    const t0 = nowMs() + 300 // a common start time, slightly ahead
    for (const worker of workers) worker.postMessage({ type: 'start', t0 })
    while (nowMs() < t0) await new Promise(resolve => setTimeout(resolve, 1))
    cpu.start()
    const results = []
    for (let w = 0; w < nWorkers; w++) results.push(await receive(w, 'the fan-out phase', (c.timeoutSec + c.drainTimeoutSec) * 1000))
    const used = cpu.stop()
    const tEnd = nowMs()

    const sent = results.reduce((a, r) => a + r.sent, 0)
    const received = results.reduce((a, r) => a + r.received, 0)
    const expected = sent * (c.clients - 1)
    const lat = new Float64Array(received)
    let k = 0
    for (const r of results) { lat.set(new Float64Array(r.latencies, 0, r.received), k); k += r.received }
    lat.sort()
    const pct = (p) => lat.length ? lat[Math.min(lat.length, Math.max(1, Math.ceil(p / 100 * lat.length))) - 1] : null
    return {
      metrics: {
        cpu_us_per_delivered: used.us / expected,
        latency_p50_ms: pct(50),
        latency_p99_ms: pct(99),
        delivered_ratio: received / expected
      },
      info: {
        clients: c.clients, workers: nWorkers, edits: sent, expected_deliveries: expected, delivered: received,
        phase_s: (tEnd - t0) / 1000, last_edit_s: Math.max(...results.map(r => r.lastSent - t0)) / 1000,
        server_cpu_s: used.us / 1e6, server_sys_share: +used.sysShare.toFixed(3), bench_cpu_s: used.benchS, other_cpu_s: used.otherS,
        latency_max_ms: lat.length ? lat[lat.length - 1] : null,
        worker_busy: results.map(r => +r.elu.toFixed(3))
      }
    }
  } finally {
    for (const worker of workers) worker.postMessage({ type: 'close' })
    await Promise.all(workers.map(worker => withTimeout(new Promise(resolve => worker.once('exit', resolve)), 10000, 'worker exit')
      .catch(() => worker.terminate())))
  }
}
