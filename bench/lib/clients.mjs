// Clients: real y-websocket providers (npm y-websocket, yjs) and a lightweight raw-protocol client.
//
// Clients live in the bench process (the fan-out editors in its worker threads, the cold-load
// reader in a child process). Providers are created with disableBc (otherwise providers in one
// Node process sync through BroadcastChannel and bypass the server) and with a null awareness
// state, so the servers carry only document traffic during measurements (a null local state sends
// no awareness messages and no 15-s renewals).

import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { Awareness } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { waitUntil } from './util.mjs'

// y-websocket's resyncInterval timer reads the global WebSocket.OPEN, which Node 20 lacks.
if (typeof globalThis.WebSocket === 'undefined') globalThis.WebSocket = WebSocket

// Each provider adds a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0)

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
export const MSG_QUERY_AWARENESS = 3
export const MSG_SAVED = 100 // Samskriv's durable-commit acknowledgement (only with ?ack=1)

/**
 * Opens a WebsocketProvider for `docId` on `server`.
 *   ack:       ask Samskriv for "saved" acknowledgements; provider.saved maps clientId -> clock
 *              (every update of that client below clock is committed). Never used against y-websocket.
 *   keepAlive: resend sync step 1 every 10 s. A provider that only sends (a writer) receives nothing,
 *              and y-websocket's client drops a connection with no incoming message for 30 s.
 */
export function openProvider (server, docId, { ack = false, keepAlive = false, doc = new Y.Doc() } = {}) {
  const awareness = new Awareness(doc)
  awareness.setLocalState(null)
  const params = server.params(docId)
  if (ack) params.ack = '1'
  const provider = new WebsocketProvider(server.wsBase, docId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    awareness,
    params,
    resyncInterval: keepAlive ? 10000 : -1
  })
  provider.saved = new Map()
  if (ack) {
    provider.messageHandlers[MSG_SAVED] = (_encoder, decoder, p) => {
      const n = decoding.readVarUint(decoder)
      for (let i = 0; i < n; i++) {
        const client = decoding.readVarUint(decoder)
        const clock = decoding.readVarUint(decoder)
        p.saved.set(client, Math.max(clock, p.saved.get(client) ?? 0))
      }
      p.emit('saved', [p.saved])
    }
  }
  provider.on('connection-error', (e) => console.error(`  [${docId}] connection error: ${e?.message ?? e}`))
  return provider
}

/** Waits until every provider reports sync (sync step 2 received from the server). */
export function waitSynced (providers, timeoutMs = 60000) {
  return waitUntil(() => providers.every(p => p.synced), { timeoutMs, what: `${providers.length} providers to sync` })
}

/** Disconnects and destroys providers and their documents. */
export function closeProviders (providers) {
  for (const p of providers) {
    const doc = p.doc
    p.destroy()
    doc.destroy() // also destroys the Awareness (and its interval)
  }
}

/**
 * A minimal client speaking the y-websocket protocol with a real Y.Doc but no provider machinery
 * (no timers): sync step 1 on open, answers the server's step 1 with step 2, marks itself synced on
 * the server's step 2, sends one awareness state (again when the server queries awareness), and
 * forwards local doc updates as sync updates.
 * Used where thousands of clients are needed (the memory scenario).
 */
export class RawClient {
  constructor (url, name) {
    this.doc = new Y.Doc()
    this.synced = false
    this.closed = false
    this.awareness = encodeAwareness(this.doc.clientID, 1, { user: { name } })
    this.ws = new WebSocket(url)
    this.ws.binaryType = 'arraybuffer'
    this.ws.on('open', () => {
      const enc = encoding.createEncoder()
      encoding.writeVarUint(enc, MSG_SYNC)
      syncProtocol.writeSyncStep1(enc, this.doc)
      this.ws.send(encoding.toUint8Array(enc))
      this.ws.send(this.awareness)
    })
    this.ws.on('message', (data) => this.onMessage(new Uint8Array(data)))
    this.ws.on('close', () => { this.closed = true })
    this.ws.on('error', (e) => { this.error = e })
    this.doc.on('update', (update, origin) => {
      if (origin === this || this.ws.readyState !== WebSocket.OPEN) return
      const enc = encoding.createEncoder()
      encoding.writeVarUint(enc, MSG_SYNC)
      syncProtocol.writeUpdate(enc, update)
      this.ws.send(encoding.toUint8Array(enc))
    })
  }

  onMessage (buf) {
    const dec = decoding.createDecoder(buf)
    const type = decoding.readVarUint(dec)
    if (type === MSG_QUERY_AWARENESS) { this.ws.send(this.awareness); return } // as a provider answers
    if (type !== MSG_SYNC) return // awareness and others: ignored
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, MSG_SYNC)
    const syncType = syncProtocol.readSyncMessage(dec, enc, this.doc, this)
    if (encoding.length(enc) > 1) this.ws.send(encoding.toUint8Array(enc))
    if (syncType === syncProtocol.messageYjsSyncStep2) this.synced = true
  }

  close () {
    this.ws.close()
    this.doc.destroy()
  }
}

/** One awareness message with a single client state (as y-protocols/awareness encodes it). */
function encodeAwareness (clientID, clock, state) {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientID)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify(state))
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, MSG_AWARENESS)
  encoding.writeVarUint8Array(enc, encoding.toUint8Array(inner))
  return encoding.toUint8Array(enc)
}
