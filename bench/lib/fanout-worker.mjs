// Worker thread of the fan-out scenario: owns a slice of the editors (real WebsocketProviders).
// Messages from the main thread: 'connect' (open and sync its providers; replies 'ready'),
// 'start' {t0} (edit on schedule and record latencies; replies 'done' with the latencies),
// 'close' (destroy the providers and exit).

import { parentPort, workerData } from 'node:worker_threads'
import { openProvider, waitSynced, closeProviders } from './clients.mjs'
import { sleep } from './util.mjs'

const d = workerData
const nowMs = () => Number(process.hrtime.bigint()) / 1e6
const server = { wsBase: d.wsBase, params: () => ({ ...d.params }) }
const providers = []

async function connect () {
  for (let i = 0; i < d.indexes.length; i += 10) {
    const batch = d.indexes.slice(i, i + 10).map(() => openProvider(server, d.docId))
    providers.push(...batch)
    await waitSynced(batch)
  }
}

async function run (t0) {
  const total = d.clients * d.editsPerClient
  const expected = d.indexes.length * (total - d.editsPerClient) // every edit but one's own
  const latencies = new Float64Array(Math.max(1, expected))
  let received = 0
  let resolveAll
  const all = new Promise(resolve => { resolveAll = resolve })
  for (const p of providers) {
    const map = p.doc.getMap('m')
    map.observe(ev => {
      if (ev.transaction.local) return
      const now = nowMs()
      for (const key of ev.keysChanged) {
        const v = map.get(key)
        if (v && received < expected) latencies[received++] = now - v.t
      }
      if (received >= expected) resolveAll()
    })
  }
  if (expected === 0) resolveAll()
  // Client i edits at t0 + (k + i / clients) * period, k = 0 .. editsPerClient - 1.
  const period = 1000 / d.ratePerSec
  const maps = providers.map(p => p.doc.getMap('m'))
  const elu0 = performance.eventLoopUtilization()
  const made = new Array(providers.length).fill(0)
  let sent = 0
  let lastSent = t0
  const mine = providers.length * d.editsPerClient
  while (sent < mine) {
    const now = nowMs()
    if (now - t0 > d.timeoutSec * 1000) break
    for (let j = 0; j < providers.length; j++) {
      const i = d.indexes[j]
      if (made[j] < d.editsPerClient && now >= t0 + (made[j] + i / d.clients) * period) {
        lastSent = nowMs()
        maps[j].set(`c${i}`, { t: lastSent, n: made[j] })
        made[j]++
        sent++
      }
    }
    await sleep(1)
  }
  await Promise.race([all, sleep(d.drainTimeoutSec * 1000)])
  const elu = performance.eventLoopUtilization(elu0)
  const buf = latencies.buffer
  parentPort.postMessage({ type: 'done', sent, received, lastSent, elu: elu.utilization, latencies: buf }, [buf])
}

parentPort.on('message', async m => {
  try {
    if (m.type === 'connect') { await connect(); parentPort.postMessage({ type: 'ready' }) }
    if (m.type === 'start') await run(m.t0)
    if (m.type === 'close') { closeProviders(providers); parentPort.close(); setTimeout(() => process.exit(0), 200).unref() }
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: e.message })
  }
})
