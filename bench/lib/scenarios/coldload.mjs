// Scenario cold load: build a document with `updates` small Y.Text transactions of history through
// the server (one client), make sure it is durable, stop the server gracefully (SIGTERM, wait for
// exit), start it again on the same storage, and time a fresh client from connect until it has
// the complete state (provider synced and the text equal to the expected one).
//
// Durability: Samskriv acknowledges committed updates to clients that ask (?ack=1); we wait until
// the acknowledged clock covers the writer's whole state. y-websocket (YPERSISTENCE, y-leveldb)
// writes every update to LevelDB through an internal queue and has no acknowledgement and no
// SIGTERM handler: we check that a second client sees the whole text, then wait until the server
// process is idle (its write queue drained) before stopping it. The timed load then verifies the
// state, so a lost update shows up as a failure, not as a fast figure.
//
// The timed client runs in a child process (coldload-reader.mjs), warmed up beforehand by applying
// the same state, so neither V8's compiler nor the build phase's garbage is part of the figure.

import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { fork } from 'node:child_process'
import * as Y from 'yjs'
import { openProvider, waitSynced, closeProviders } from '../clients.mjs'
import { waitIdle, cpuMeter } from '../proc.mjs'
import { tick, sleep, prng, waitUntil, withTimeout } from '../util.mjs'

const READER = new URL('../coldload-reader.mjs', import.meta.url)

/** Applies `n` small typing-like transactions (inserts at a cursor, jumps, backspaces). */
async function writeHistory (provider, n, yieldEvery, deadline) {
  const text = provider.doc.getText('text')
  const rand = prng(42)
  let cursor = 0
  for (let i = 0; i < n; i++) {
    const r = rand()
    provider.doc.transact(() => {
      if (r < 0.1 && cursor > 0) { // backspace 1-2 characters
        const k = Math.min(cursor, 1 + Math.floor(rand() * 2))
        text.delete(cursor - k, k)
        cursor -= k
      } else {
        if (r < 0.15) cursor = Math.floor(rand() * (text.length + 1)) // jump elsewhere
        const s = 'abcdefghij'.slice(0, 1 + Math.floor(rand() * 3))
        text.insert(cursor, s)
        cursor += s.length
      }
    })
    if (i % yieldEvery === yieldEvery - 1) {
      await tick()
      for (let spins = 0; provider.ws && provider.ws.bufferedAmount > (1 << 20); spins++) {
        if (Date.now() > deadline) throw new Error('cold-load build overran its time limit')
        await sleep(1)
      }
    }
  }
  return text.toString()
}

/** Starts the reader child; returns { send, next(what, ms), kill }. */
function startReader () {
  const child = fork(READER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const queue = []
  const waiters = []
  const deliver = (m) => { const w = waiters.shift(); w ? w(m) : queue.push(m) }
  child.on('message', deliver)
  child.on('exit', (code) => deliver({ type: 'error', message: `reader exited (${code})` }))
  return {
    send: (m) => child.send(m),
    next: (what, ms) => withTimeout(new Promise(resolve => queue.length ? resolve(queue.shift()) : waiters.push(resolve)), ms, what)
      .then(m => { if (m.type === 'error') throw new Error(`cold-load reader: ${m.message}`); return m }),
    /** Kills the child and waits until it has been reaped (its CPU then counts as this process's). */
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGKILL')
      await withTimeout(exited, 5000, 'the reader to exit').catch(() => {})
    }
  }
}

export async function runColdLoad (server, cfg) {
  const c = cfg.coldload
  const deadline = Date.now() + c.timeoutSec * 1000
  const left = () => Math.max(1000, deadline - Date.now())
  const docId = `cold-${Date.now()}`
  const samskriv = server.kind === 'samskriv'
  const statePath = path.join(server.dir, 'state.bin')
  const reader = startReader()
  try {
    // 1. Build the history.
    const tBuild = performance.now()
    const writer = openProvider(server, docId, { ack: samskriv, keepAlive: true })
    let expected
    try {
      await waitSynced([writer])
      expected = await writeHistory(writer, c.updates, c.yieldEvery, deadline)
      const wid = writer.doc.clientID
      const clock = Y.getState(writer.doc.store, wid)
      fs.writeFileSync(statePath, Y.encodeStateAsUpdate(writer.doc))
      // 2. Make sure it is durable.
      if (samskriv) {
        await waitUntil(() => (writer.saved.get(wid) ?? 0) >= clock, { timeoutMs: left(), what: () => `the saved acknowledgement of the whole history (clock ${clock}, acknowledged ${writer.saved.get(wid) ?? 'none'})` })
      } else {
        const check = openProvider(server, docId)
        try {
          await waitSynced([check])
          await waitUntil(() => check.doc.getText('text').toString() === expected, { timeoutMs: left(), intervalMs: 50, what: 'a second client to see the whole history' })
        } finally { closeProviders([check]) }
      }
    } finally {
      closeProviders([writer])
    }
    if (!samskriv) await waitIdle(server.pid, { quietMs: 2000, timeoutMs: left() })
    const buildS = (performance.now() - tBuild) / 1000
    reader.send({ type: 'warm', statePath })
    const { applyMs } = await reader.next('the reader to warm up', left())
    await sleep(300)

    // 3. Graceful stop, then a fresh start on the same storage.
    const stopped = await server.stop()
    if (stopped.forced) throw new Error('server did not exit within 30 s of SIGTERM')
    const restartMs = await server.start()
    await sleep(300)

    // 4. Timed (in the reader): connect until synced with the complete text.
    const cpu = cpuMeter(server.pid)
    cpu.start()
    reader.send({ type: 'load', wsBase: server.wsBase, docId, params: server.params(docId), expectedLength: expected.length })
    const r = await reader.next('the fresh client to load the document', left())
    const used = cpu.stop()
    if (r.sha256 !== crypto.createHash('sha256').update(expected).digest('hex')) throw new Error('loaded text differs from the written history')
    return {
      metrics: { load_ms: r.loadMs, state_arrived_ms: r.arrivedMs, build_s: buildS, restart_ms: restartMs },
      info: {
        updates: c.updates, text_length: expected.length, client_apply_ms: applyMs, stop_ms: stopped.ms,
        load_server_cpu_ms: used.us / 1000, other_cpu_s: used.otherS, exit: { code: stopped.code, signal: stopped.signal }
      }
    }
  } finally {
    await reader.kill()
  }
}
