// Scenario memory: `docs` documents with `clientsPerDoc` clients each (raw-protocol clients: real
// Y.Doc, real sync handshake, one awareness state, one small edit each). Server memory per open
// document = (VmRSS with everything connected, synced and edited - VmRSS idle before) / docs.

import { RawClient } from '../clients.mjs'
import { rssKiB, waitIdle } from '../proc.mjs'
import { sleep, waitUntil } from '../util.mjs'

export async function runMemory (server, cfg) {
  const c = cfg.memory
  const deadline = Date.now() + c.timeoutSec * 1000
  const left = () => Math.max(1000, deadline - Date.now())
  await waitIdle(server.pid, { timeoutMs: 30000 })
  const rssIdle = rssKiB(server.pid)
  const clients = []
  try {
    const total = c.docs * c.clientsPerDoc
    const prefix = `mem-${Date.now()}-`
    // Open connections in batches; every client must have finished its sync handshake.
    for (let i = 0; i < total; i += c.connectBatch) {
      const batch = []
      for (let j = i; j < Math.min(total, i + c.connectBatch); j++) {
        const docId = prefix + Math.floor(j / c.clientsPerDoc)
        batch.push(new RawClient(server.wsUrl(docId), `bench-${j}`))
      }
      clients.push(...batch)
      await waitUntil(() => batch.every(cl => cl.synced || cl.closed), { timeoutMs: left(), intervalMs: 5, what: 'a batch of clients to sync' })
      const bad = batch.find(cl => cl.closed)
      if (bad) throw new Error(`a client connection closed during sync${bad.error ? ': ' + bad.error.message : ''}`)
    }
    // One small edit per client, then wait until every client holds all edits of its document.
    clients.forEach((cl, j) => cl.doc.getText('t').insert(0, String.fromCharCode(97 + (j % c.clientsPerDoc))))
    await waitUntil(() => clients.every(cl => cl.doc.getText('t').length === c.clientsPerDoc),
      { timeoutMs: left(), intervalMs: 20, what: 'every edit to reach every client' })
    await waitIdle(server.pid, { timeoutMs: left() })
    await sleep(c.settleSec * 1000)
    const rssLoaded = rssKiB(server.pid)
    if (clients.some(cl => cl.closed)) throw new Error('a client connection closed before the measurement')
    return {
      metrics: {
        kib_per_doc: (rssLoaded - rssIdle) / c.docs,
        rss_idle_mib: rssIdle / 1024,
        rss_loaded_mib: rssLoaded / 1024
      },
      info: { docs: c.docs, connections: total }
    }
  } finally {
    for (const cl of clients) cl.close()
  }
}
