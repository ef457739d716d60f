// Child process of the cold-load scenario: the timed client, in a fresh Node process so that the
// garbage of the build phase (50,000 transactions in the bench process) is not collected during
// the few milliseconds being timed. Driven over IPC by scenarios/coldload.mjs:
//   {type: 'warm', statePath}   apply the document's state 20 times, as a provider's doc would
//                               (warms up V8's code for it)
//                               -> {type: 'warmed', applyMs} (fastest apply)
//   {type: 'load', wsBase, docId, params, expectedLength}
//                               connect a provider and wait until it is synced with the whole text
//                               -> {type: 'loaded', loadMs, arrivedMs, sha256}

import fs from 'node:fs'
import crypto from 'node:crypto'
import * as Y from 'yjs'
import { openProvider, closeProviders } from './clients.mjs'

process.on('message', async (m) => {
  try {
    if (m.type === 'warm') {
      const state = new Uint8Array(fs.readFileSync(m.statePath))
      let best = Infinity
      for (let i = 0; i < 20; i++) {
        const t = performance.now()
        const d = new Y.Doc()
        d.on('update', () => {}) // as in a provider: Yjs then also encodes the applied update
        Y.applyUpdate(d, state)
        best = Math.min(best, performance.now() - t)
        d.destroy()
      }
      process.send({ type: 'warmed', applyMs: best })
    } else if (m.type === 'load') {
      process.send({ type: 'loaded', ...await load(m) })
      process.disconnect()
    }
  } catch (e) {
    process.send({ type: 'error', message: e.message })
  }
})

function load ({ wsBase, docId, params, expectedLength }) {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  let reader
  // lastArrival: when the message being handled arrived, before Yjs applied it; so the load splits
  // into the server's part (connect -> the completing message arrives) and the client's.
  let lastArrival = 0
  let done = false
  const t0 = performance.now()
  return new Promise(resolve => {
    const check = () => {
      if (done || !reader?.synced || text.length !== expectedLength) return
      done = true
      const t1 = performance.now()
      const sha256 = crypto.createHash('sha256').update(text.toString()).digest('hex')
      closeProviders([reader])
      resolve({ loadMs: t1 - t0, arrivedMs: lastArrival - t0, sha256 })
    }
    doc.on('update', check)
    reader = openProvider({ wsBase, params: () => ({ ...params }) }, docId, { doc })
    const ws = reader.ws
    const handle = ws.onmessage
    ws.onmessage = (ev) => { lastArrival = performance.now(); handle(ev) }
    reader.on('sync', check)
  })
}
