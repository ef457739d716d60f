// Scenario B4 replay: one writer replays the automerge-paper editing trace, one patch per Y.Text
// transaction (so one update message per patch), as fast as the socket accepts; a second client
// receives. Measures wall time (first patch -> receiver's text equals the final text) and the
// server's CPU per update.
//
// Flow control (no unbounded buffering): the writer yields to the event loop every `yieldEvery`
// patches and then waits while its socket holds more than `maxBuffered` bytes or the receiver
// trails it by more than `maxLagClock` characters (compared through the Yjs state vectors).

import fs from 'node:fs'
import zlib from 'node:zlib'
import * as Y from 'yjs'
import { openProvider, waitSynced, closeProviders } from '../clients.mjs'
import { cpuMeter, ticksToUs } from '../proc.mjs'
import { tick, sleep, withTimeout } from '../util.mjs'

let traceCache = null
function loadTrace (file, limit) {
  if (!traceCache) traceCache = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)))
  const patches = traceCache.txns.flatMap(t => t.patches)
  if (!limit || limit >= patches.length) return { patches, start: traceCache.startContent, end: traceCache.endContent }
  // A prefix of the trace: compute its final text by applying the patches to a string.
  const cut = patches.slice(0, limit)
  let s = traceCache.startContent
  for (const [pos, del, ins] of cut) s = s.slice(0, pos) + ins + s.slice(pos + del)
  return { patches: cut, start: traceCache.startContent, end: s }
}

export async function runB4 (server, cfg) {
  const c = cfg.b4
  const { patches, start, end } = loadTrace(c.trace, c.patches)
  const docId = `b4-${Date.now()}`
  const writer = openProvider(server, docId, { keepAlive: true })
  const receiver = openProvider(server, docId, { keepAlive: true })
  try {
    await waitSynced([writer, receiver])
    const wtext = writer.doc.getText('text')
    const rtext = receiver.doc.getText('text')
    if (start) {
      wtext.insert(0, start)
      await withTimeout(new Promise(resolve => {
        const check = () => { if (rtext.length === start.length) { receiver.doc.off('update', check); resolve() } }
        receiver.doc.on('update', check)
        check()
      }), 30000, 'start content to reach the receiver')
    }
    const wid = writer.doc.clientID
    const wstore = writer.doc.store
    const rstore = receiver.doc.store
    let finalClock = Infinity // known once the writer is done
    const done = new Promise((resolve, reject) => {
      const check = () => {
        if (Y.getState(rstore, wid) < finalClock || rtext.length !== end.length) return
        receiver.doc.off('update', check)
        if (rtext.toString() === end) resolve(performance.now())
        else reject(new Error('receiver text differs from the expected final text'))
      }
      receiver.doc.on('update', check)
      receiver.checkDone = check
    })

    const cpu = cpuMeter(server.pid)
    const deadline = Date.now() + c.timeoutSec * 1000
    cpu.start()
    const t0 = performance.now()
    for (let i = 0; i < patches.length; i++) {
      const [pos, del, ins] = patches[i]
      writer.doc.transact(() => {
        if (del > 0) wtext.delete(pos, del)
        if (ins.length > 0) wtext.insert(pos, ins)
      })
      if (i % c.yieldEvery === c.yieldEvery - 1) {
        await tick()
        for (let spins = 0; ; spins++) {
          const ws = writer.ws
          if (!ws) throw new Error('writer lost its connection')
          if (ws.bufferedAmount <= c.maxBuffered && Y.getState(wstore, wid) - Y.getState(rstore, wid) <= c.maxLagClock) break
          if (Date.now() > deadline) throw new Error(`B4 did not finish within ${c.timeoutSec} s`)
          await (spins < 100 ? tick() : sleep(1))
        }
      }
    }
    const tWritten = performance.now()
    finalClock = Y.getState(wstore, wid)
    receiver.checkDone()
    const tDone = await withTimeout(done, Math.max(1000, deadline - Date.now()), 'receiver to reach the final text')
    const used = cpu.stop()
    return {
      metrics: {
        wall_s: (tDone - t0) / 1000,
        server_cpu_s: used.us / 1e6,
        cpu_us_per_update: used.us / patches.length
      },
      info: { patches: patches.length, write_s: (tWritten - t0) / 1000, cpu_ticks: used.ticks, tick_us: ticksToUs(1), server_sys_share: +used.sysShare.toFixed(3), bench_cpu_s: used.benchS, other_cpu_s: used.otherS }
    }
  } finally {
    closeProviders([writer, receiver])
  }
}
