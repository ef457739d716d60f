#!/usr/bin/env node
// Node.js client scenarios for the Samskriv integration tests.
//
// Usage:
//   node tests/js/scenario.mjs <name> '<json-config>'
//
// Contract with the Rust test harness:
//   * progress / diagnostics go to stderr;
//   * stdout carries exactly one JSON object as its LAST line (the result).
//     The "durable" scenario additionally prints "PROGRESS acked=<n> clocks=<json>" lines
//     to stdout before the result;
//   * exit code 0 on success, 1 on failure. On failure the error message is
//     printed to stderr and the last stdout line is {"ok":false,"error":...};
//   * every scenario is bounded by config.timeoutMs (default 60000).
//
// Every config has: url ("ws://127.0.0.1:PORT/ws"), doc (document name),
// timeoutMs. See the SCENARIOS table at the bottom for the per-scenario fields.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import * as decoding from 'lib0/decoding'
import { canonical, canonicalString } from './canonical.mjs'

// ---------------------------------------------------------------------------
// Output helpers
// ---------------------------------------------------------------------------

// stdout is reserved for PROGRESS lines and the final result. Libraries that
// use console.log would corrupt it, so route console.log to stderr.
console.log = (...args) => console.error(...args)

const startedAt = Date.now()

/** Progress line on stderr, prefixed with the elapsed time. */
const log = (...args) => console.error(`[scenario +${Date.now() - startedAt}ms]`, ...args)

/** Current phase, reported in timeout messages. */
let phase = 'starting'
/** Optional extra diagnostics for timeout messages (set per phase). */
let phaseDetails = () => ''

const setPhase = (name, details = () => '') => {
  phase = name
  phaseDetails = details
  log(`phase: ${name}`)
}

/** All clients created by the scenario, destroyed on exit. */
const clients = []
let finished = false

const destroyAll = () => {
  for (const c of clients) {
    try { c.destroy() } catch (_) { /* best effort */ }
  }
}

/** Writes a line to stdout and resolves once it has been flushed. */
const writeStdout = (line) => new Promise((resolve) => process.stdout.write(line + '\n', () => resolve()))

/** Prints the result as the last stdout line and exits 0. */
const succeed = async (result) => {
  if (finished) return
  finished = true
  destroyAll()
  await writeStdout(JSON.stringify(result))
  log('OK')
  process.exit(0)
}

/** Prints the error and exits 1. */
const fail = async (message) => {
  if (finished) return
  finished = true
  console.error(`[scenario] FAIL: ${message}`)
  destroyAll()
  await writeStdout(JSON.stringify({ ok: false, error: String(message) }))
  process.exit(1)
}

class ScenarioError extends Error {}

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const nextTick = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Polls `predicate` every `intervalMs` until it returns true.
 * Without `timeoutMs` only the global scenario timeout bounds it.
 */
const waitFor = async (predicate, { intervalMs = 25, timeoutMs = 0, what = 'condition' } = {}) => {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity
  while (!predicate()) {
    if (Date.now() > deadline) throw new ScenarioError(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}

/** Deterministic PRNG (mulberry32) so that runs are reproducible from a seed. */
const makeRng = (seed) => {
  let a = (Number(seed) >>> 0) || 0x9e3779b9
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    /** integer in [lo, hi] (inclusive) */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p
  }
}

/** Derives an independent seed for client `i` from the scenario seed. */
const deriveSeed = (seed, i) => {
  let h = (Number(seed) >>> 0) ^ Math.imul(i + 1, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

const isHighSurrogate = (code) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code) => code >= 0xdc00 && code <= 0xdfff

/**
 * UTF-16 offsets in `s` (0..s.length) that do not fall inside a surrogate
 * pair. Yjs replaces a split surrogate pair with U+FFFD, which would make the
 * test meaningless, so edits only ever use these offsets.
 */
const safeOffsets = (s) => {
  const out = []
  for (let i = 0; i <= s.length; i++) {
    if (i > 0 && i < s.length && isHighSurrogate(s.charCodeAt(i - 1)) && isLowSurrogate(s.charCodeAt(i))) continue
    out.push(i)
  }
  return out
}

// Y.Text edits in "converge" and "durable" insert tokens of the form <...>.
// New tokens are only inserted at token boundaries (start, end, or right after
// a '>'), so no token is ever split by another insert, even concurrently: a
// token is inserted as one Yjs item and nobody ever uses a position inside it
// as an origin. Hence every token must appear verbatim in the final text.
const TOKEN_END = '>'

const tokenBoundaries = (s) => {
  const out = [0]
  for (let i = 0; i < s.length; i++) if (s[i] === TOKEN_END) out.push(i + 1)
  if (out[out.length - 1] !== s.length) out.push(s.length)
  return out
}

/** Inserts `token` into Y.Text 'text' at a random token boundary. */
const insertTokenAtRandomBoundary = (ydoc, rng, token) => {
  const ytext = ydoc.getText('text')
  const pos = rng.pick(tokenBoundaries(ytext.toString()))
  ytext.insert(pos, token)
}

// ---------------------------------------------------------------------------
// Client wrapper around WebsocketProvider
// ---------------------------------------------------------------------------

/** Custom Samskriv message: durable-commit acknowledgements (only with ack=1). */
const MESSAGE_ACK = 100
const MESSAGE_AUTH = 2

class Client {
  /**
   * @param {string} name   label used in logs
   * @param {object} config scenario config (url, doc)
   * @param {string} token  access token (sent as ?token=)
   * @param {{ack?: boolean}} opts
   */
  constructor (name, config, token, { ack = false } = {}) {
    if (typeof token !== 'string' || token.length === 0) {
      throw new ScenarioError(`client ${name}: missing token`)
    }
    this.name = name
    this.ydoc = new Y.Doc()
    /** clientId -> highest acked clock ("all updates with clock < value are durable") */
    this.acked = new Map()
    /** number of ack (type 100) messages received */
    this.ackMessages = 0
    /** reasons of auth permission-denied messages received */
    this.authDenied = []
    /** number of 'disconnected' status events */
    this.disconnects = 0
    this.provider = new WebsocketProvider(config.url, config.doc, this.ydoc, {
      WebSocketPolyfill: WebSocket,
      disableBc: true,
      params: { token, ...(ack ? { ack: '1' } : {}) }
    })
    const provider = this.provider

    // y-websocket 3 copies its handler table per provider and dispatches
    // messageHandlers[type](encoder, decoder, provider, emitSynced, type);
    // an unknown type only logs "Unable to compute message". The ack message
    // is: varUint 100, varUint n, n x (varUint clientId, varUint clock).
    // Nothing is written to `encoder`, so no reply is sent.
    provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
      const n = decoding.readVarUint(decoder)
      for (let i = 0; i < n; i++) {
        const clientId = decoding.readVarUint(decoder)
        const clock = decoding.readVarUint(decoder)
        if (clock > (this.acked.get(clientId) ?? 0)) this.acked.set(clientId, clock)
      }
      this.ackMessages++
    }

    // Record auth messages ([2, 0, varString reason] = permission denied),
    // then let the original y-websocket handler process them as usual.
    const originalAuth = provider.messageHandlers[MESSAGE_AUTH]
    provider.messageHandlers[MESSAGE_AUTH] = (encoder, decoder, prov, emitSynced, messageType) => {
      const peek = decoding.clone(decoder)
      if (decoding.hasContent(peek) && decoding.readVarUint(peek) === 0) {
        const reason = decoding.readVarString(peek)
        this.authDenied.push(reason)
        log(`${this.name}: auth permission denied: ${reason}`)
      }
      originalAuth(encoder, decoder, prov, emitSynced, messageType)
    }

    provider.on('status', ({ status }) => {
      if (status === 'disconnected') this.disconnects++
      log(`${this.name}: status ${status}`)
    })
    provider.on('sync', (synced) => log(`${this.name}: sync ${synced}`))
    provider.on('connection-close', (event) => {
      if (event) log(`${this.name}: connection closed (code ${event.code}${event.reason ? ', ' + event.reason : ''})`)
    })
    clients.push(this)
  }

  get clientId () { return this.ydoc.clientID }
  /** Next clock of this client's own updates, i.e. its state-vector entry. */
  get ownClock () { return Y.getState(this.ydoc.store, this.ydoc.clientID) }
  /** Highest acked clock for this client's own clientID. */
  get ownAcked () { return this.acked.get(this.ydoc.clientID) ?? 0 }
  get content () { return canonical(this.ydoc) }
  get contentString () { return canonicalString(canonical(this.ydoc)) }

  /** Resolves once the provider has completed the initial sync. */
  waitSynced () {
    if (this.provider.synced) return Promise.resolve()
    return new Promise((resolve) => {
      const handler = (synced) => {
        if (synced) {
          this.provider.off('sync', handler)
          resolve()
        }
      }
      this.provider.on('sync', handler)
    })
  }

  destroy () {
    this.provider.destroy()
    this.ydoc.destroy()
  }
}

/** Creates clients for the given tokens and waits until all are synced. */
const connectAll = async (config, tokens, names, opts = {}) => {
  // config.urls (optional): client i connects to urls[i % urls.length] — clients spread over
  // several server processes. Otherwise every client uses config.url.
  const configFor = (i) => Array.isArray(config.urls) && config.urls.length > 0
    ? { ...config, url: config.urls[i % config.urls.length] }
    : config
  const list = tokens.map((t, i) => new Client(names[i] ?? `client${i}`, configFor(i), t, opts))
  setPhase('connecting and syncing', () =>
    list.map((c) => `${c.name}: connected=${c.provider.wsconnected} synced=${c.provider.synced}`).join('; '))
  await Promise.all(list.map((c) => c.waitSynced()))
  return list
}

const allEqual = (list) => {
  const first = list[0].contentString
  return list.every((c) => c.contentString === first)
}

/** Short description of how clients' contents differ (for error messages). */
const describeContents = (list) => list.map((c) => {
  const s = c.contentString
  return `${c.name}: ${s.length} chars ${s.length > 300 ? s.slice(0, 300) + '...' : s}`
}).join('\n  ')

/**
 * Fails clearly if `client` receives no ack message within `ms` — a server
 * that ignores ack=1 would otherwise make the scenario hang until timeoutMs.
 */
const ackWatchdog = (client, ms) => {
  const timer = setTimeout(() => {
    if (client.ackMessages === 0) {
      fail(`${client.name} received no ack (type ${MESSAGE_ACK}) message within ${ms} ms of ` +
        'editing; does the server implement ack=1?')
    }
  }, ms)
  return () => clearTimeout(timer)
}

// ---------------------------------------------------------------------------
// Scenario 1: converge
// ---------------------------------------------------------------------------

const converge = async (config) => {
  const tokens = config.tokens
  if (!Array.isArray(tokens) || tokens.length < 3) throw new ScenarioError('config.tokens must hold 3 tokens')
  const edits = config.edits ?? 50
  const seed = config.seed ?? 1

  const [a, b] = await connectAll(config, tokens.slice(0, 2), ['A', 'B'])

  // Each client inserts `edits` unique tokens at random token boundaries,
  // yielding between edits so that the two clients' updates interleave.
  const inserted = []
  const editLoop = async (client, idx) => {
    const rng = makeRng(deriveSeed(seed, idx))
    for (let i = 0; i < edits; i++) {
      const token = `<${client.name}${i}>`
      insertTokenAtRandomBoundary(client.ydoc, rng, token)
      inserted.push(token)
      if (rng.chance(0.5)) await sleep(rng.int(0, 4))
      else await nextTick()
    }
  }
  setPhase('concurrent editing')
  await Promise.all([editLoop(a, 0), editLoop(b, 1)])

  setPhase('waiting for A and B to converge', () => {
    const missing = inserted.filter((t) => !a.ydoc.getText('text').toString().includes(t))
    return `missing in A: ${missing.length}; equal=${allEqual([a, b])}\n  ${describeContents([a, b])}`
  })
  await waitFor(() => {
    if (!allEqual([a, b])) return false
    const text = a.ydoc.getText('text').toString()
    return inserted.every((t) => text.includes(t))
  })
  log(`A and B converged on ${inserted.length} inserts`)

  // The late joiner gets everything from the server alone.
  const [c] = await connectAll(config, [tokens[2]], ['C'])
  setPhase('waiting for late joiner C to equal A', () => describeContents([a, c]))
  await waitFor(() => c.contentString === a.contentString, { timeoutMs: 5000, what: 'C to equal A after sync' })
  return { ok: true, content: a.content }
}

// ---------------------------------------------------------------------------
// Scenario 2: write
// ---------------------------------------------------------------------------

/**
 * Appends a small ProseMirror-shaped document (as Tiptap StarterKit +
 * y-prosemirror would store it) to the XmlFragment 'default'.
 */
const buildSampleXml = (ydoc) => {
  const frag = ydoc.getXmlFragment('default')
  ydoc.transact(() => {
    const at = frag.length
    const heading = new Y.XmlElement('heading')
    const paragraph = new Y.XmlElement('paragraph')
    const list = new Y.XmlElement('bulletList')
    frag.insert(at, [heading, paragraph, list])

    heading.setAttribute('level', 1)
    const headingText = new Y.XmlText()
    heading.insert(0, [headingText])
    headingText.insert(0, 'Høringssvar', {})

    const pText = new Y.XmlText()
    paragraph.insert(0, [pText])
    let off = 0
    const run = (s, marks) => { pText.insert(off, s, marks); off += s.length }
    run('Vi støtter ', {})
    run('forslaget', { bold: {} })
    run(' om grønne områder på ', {})
    run('Ærø', { italic: {} })
    run(' og i Århus.', {})

    const items = ['Første punkt: æbler og blåbær', 'Andet punkt: økologisk grød']
    items.forEach((s, i) => {
      const li = new Y.XmlElement('listItem')
      list.insert(i, [li])
      const p = new Y.XmlElement('paragraph')
      li.insert(0, [p])
      const t = new Y.XmlText()
      p.insert(0, [t])
      t.insert(0, s, {})
    })
  })
}

const write = async (config) => {
  const ack = !!config.ack
  const [client] = await connectAll(config, [config.token], ['W'], { ack })

  setPhase('writing')
  if (typeof config.text === 'string' && config.text.length > 0) {
    const ytext = client.ydoc.getText('text')
    ytext.insert(ytext.length, config.text)
  }
  if (config.xml) buildSampleXml(client.ydoc)
  const clock = client.ownClock

  if (ack) {
    if (clock > 0) {
      const stop = ackWatchdog(client, config.ackTimeoutMs ?? 10000)
      setPhase('waiting for ack', () => `own clock ${clock}, acked ${client.ownAcked}, ack messages ${client.ackMessages}`)
      await waitFor(() => client.ownAcked >= clock)
      stop()
      log(`acked ${client.ownAcked} >= clock ${clock}`)
    }
  } else {
    // No acknowledgement protocol: give the server a moment to receive it.
    await sleep(300)
  }
  return { ok: true, clientId: client.clientId, clock, content: client.content }
}

// ---------------------------------------------------------------------------
// Scenario 3: read
// ---------------------------------------------------------------------------

const read = async (config) => {
  const [client] = await connectAll(config, [config.token], ['R'])
  const sv = Y.decodeStateVector(Y.encodeStateVector(client.ydoc))
  const stateVector = {}
  for (const [clientId, clock] of sv) stateVector[String(clientId)] = clock
  return { ok: true, content: client.content, stateVector }
}

// ---------------------------------------------------------------------------
// Scenario 4: richtext
// ---------------------------------------------------------------------------

const WORDS = ['hej', 'verden', 'æble', 'grød', 'blåbær', 'Ærø', 'øl', 'å', 'Øresund', 'kåd',
  'tekst', 'høring', 'svar', '🙂', '🎉', 'ok']

const randomWords = (rng) => {
  const n = rng.int(1, 3)
  const out = []
  for (let i = 0; i < n; i++) out.push(rng.pick(WORDS))
  return out.join(' ') + (rng.chance(0.3) ? ' ' : '')
}

/** Marks as y-prosemirror stores them: attribute name = mark name, value = mark attrs. */
const randomMarks = (rng) => {
  const r = rng.next()
  if (r < 0.5) return {}
  if (r < 0.7) return { bold: {} }
  if (r < 0.9) return { italic: {} }
  return { bold: {}, italic: {} }
}

/** Plain string content of an XmlText (XmlText.toString() renders marks as tags). */
const plainText = (xmlText) => xmlText.toDelta().map((op) => {
  if (typeof op.insert !== 'string') throw new Error('unexpected embed in XmlText')
  return op.insert
}).join('')

/** Creates a paragraph/heading element holding one (optionally filled) XmlText. */
const newTextBlock = (parent, index, type, rng) => {
  const el = new Y.XmlElement(type)
  parent.insert(index, [el])
  if (type === 'heading') el.setAttribute('level', rng.int(1, 3))
  const t = new Y.XmlText()
  el.insert(0, [t])
  if (rng.chance(0.9)) t.insert(0, randomWords(rng), randomMarks(rng))
  return el
}

/** Creates listItem > paragraph > text inside `list` at `index`. */
const newListItem = (list, index, rng) => {
  const li = new Y.XmlElement('listItem')
  list.insert(index, [li])
  newTextBlock(li, 0, 'paragraph', rng)
}

/** All XmlText nodes in the fragment, depth first. */
const allTextNodes = (frag) => {
  const out = []
  const walk = (node) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(frag)
  return out
}

const topLevel = (frag, type) => frag.toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === type)

/** Random [from, to) range with from < to, on surrogate-safe offsets. */
const randomRange = (rng, s, maxLen = 8) => {
  const offs = safeOffsets(s)
  if (offs.length < 2) return null
  const i = rng.int(0, offs.length - 2)
  const j = Math.min(offs.length - 1, i + rng.int(1, maxLen))
  return [offs[i], offs[j]]
}

/**
 * Performs one random Tiptap-like edit on the XmlFragment 'default'.
 * Returns a short label for statistics.
 */
const randomRichEdit = (ydoc, rng) => {
  const frag = ydoc.getXmlFragment('default')
  const insertBlock = () => {
    const index = rng.int(0, frag.length)
    const r = rng.next()
    if (r < 0.55) newTextBlock(frag, index, 'paragraph', rng)
    else if (r < 0.8) newTextBlock(frag, index, 'heading', rng)
    else {
      const list = new Y.XmlElement('bulletList')
      frag.insert(index, [list])
      const n = rng.int(1, 2)
      for (let i = 0; i < n; i++) newListItem(list, i, rng)
    }
    return 'insertBlock'
  }
  // Start with some blocks so text ops have targets.
  if (frag.length < 3) return insertBlock()

  const r = rng.next()
  if (r < 0.15) return insertBlock()
  if (r < 0.45) { // insert text
    const t = rng.pick(allTextNodes(frag))
    if (!t) return insertBlock()
    const offset = rng.pick(safeOffsets(plainText(t)))
    t.insert(offset, randomWords(rng), randomMarks(rng))
    return 'insertText'
  }
  if (r < 0.6) { // delete text range
    const t = rng.pick(allTextNodes(frag).filter((n) => n.length > 0))
    const range = t && randomRange(rng, plainText(t))
    if (!range) return 'noop'
    t.delete(range[0], range[1] - range[0])
    return 'deleteText'
  }
  if (r < 0.78) { // format range (mark on / off)
    const t = rng.pick(allTextNodes(frag).filter((n) => n.length > 0))
    const range = t && randomRange(rng, plainText(t), 12)
    if (!range) return 'noop'
    const mark = rng.chance(0.5) ? 'bold' : 'italic'
    const value = rng.chance(0.6) ? {} : null // null removes the mark
    t.format(range[0], range[1] - range[0], { [mark]: value })
    return value ? 'formatOn' : 'formatOff'
  }
  if (r < 0.86) { // delete a whole block (keep the document from emptying)
    if (frag.length <= 3) return 'noop'
    frag.delete(rng.int(0, frag.length - 1), 1)
    return 'deleteBlock'
  }
  if (r < 0.93) { // change a heading level
    const h = rng.pick(topLevel(frag, 'heading'))
    if (!h) return 'noop'
    h.setAttribute('level', rng.int(1, 3))
    return 'headingLevel'
  }
  // add a listItem to a bulletList
  const list = rng.pick(topLevel(frag, 'bulletList'))
  if (!list) return insertBlock()
  newListItem(list, rng.int(0, list.length), rng)
  return 'addListItem'
}

const richtext = async (config) => {
  const tokens = config.tokens
  if (!Array.isArray(tokens) || tokens.length === 0) throw new ScenarioError('config.tokens must be a non-empty array')
  const seed = config.seed ?? 1
  const ops = config.ops ?? 60
  const list = await connectAll(config, tokens, tokens.map((_, i) => `C${i}`))

  const stats = {}
  const editLoop = async (client, idx) => {
    const rng = makeRng(deriveSeed(seed, idx))
    let done = 0
    while (done < ops) {
      if (rng.chance(0.25)) {
        // a few edits in one transaction (one update on the wire)
        const n = Math.min(ops - done, rng.int(2, 4))
        client.ydoc.transact(() => {
          for (let i = 0; i < n; i++) {
            const label = randomRichEdit(client.ydoc, rng)
            stats[label] = (stats[label] ?? 0) + 1
          }
        })
        done += n
      } else {
        const label = randomRichEdit(client.ydoc, rng)
        stats[label] = (stats[label] ?? 0) + 1
        done++
      }
      if (rng.chance(0.7)) await sleep(rng.int(0, 10))
      else await nextTick()
    }
  }
  setPhase('concurrent rich-text editing')
  await Promise.all(list.map((c, i) => editLoop(c, i)))
  log(`edit statistics: ${JSON.stringify(stats)}`)

  setPhase('waiting for all clients to converge', () => describeContents(list))
  await waitFor(() => allEqual(list), { intervalMs: 100 })
  log('all clients converged')

  const readerToken = config.readerToken ?? tokens[0]
  const [fresh] = await connectAll(config, [readerToken], ['fresh'])
  setPhase('waiting for fresh reader to equal the editors', () => describeContents([list[0], fresh]))
  await waitFor(() => fresh.contentString === list[0].contentString, { timeoutMs: 5000, what: 'fresh reader to equal editors' })
  return { ok: true, content: fresh.content }
}

// ---------------------------------------------------------------------------
// Scenario 5: durable (server is SIGKILLed and restarted by the Rust test)
// ---------------------------------------------------------------------------

const durable = async (config) => {
  const tokens = config.tokens
  if (!Array.isArray(tokens) || tokens.length === 0) throw new ScenarioError('config.tokens must be a non-empty array')
  const editMs = config.editMs ?? 1500
  const seed = config.seed ?? 1
  const list = await connectAll(config, tokens, tokens.map((_, i) => `D${i}`), { ack: true })

  // Per-client restart tracking: disconnected at least once, then synced again.
  let ackedBeforeKill = null
  for (const c of list) {
    c.sawDisconnect = false
    c.resynced = false
    c.provider.on('status', ({ status }) => {
      if (status !== 'disconnected' || finished) return
      if (ackedBeforeKill === null) {
        ackedBeforeKill = {}
        for (const x of list) ackedBeforeKill[String(x.clientId)] = x.ownAcked
        log(`first disconnect observed; acked before kill: ${JSON.stringify(ackedBeforeKill)}`)
      }
      c.sawDisconnect = true
    })
    c.provider.on('sync', (synced) => {
      if (synced && c.sawDisconnect) c.resynced = true
    })
  }

  const totalAcks = () => list.reduce((n, c) => n + c.ackMessages, 0)
  // (guarded by `finished` so nothing is printed after the final result line)
  // "clocks" are the acked clocks of each client's own updates: the Rust test checks the
  // stored document against the last line it read before it killed the server.
  const ackedClocks = () => JSON.stringify(Object.fromEntries(list.map((c) => [String(c.clientId), c.ownAcked])))
  const progress = setInterval(() => {
    if (!finished) process.stdout.write(`PROGRESS acked=${totalAcks()} clocks=${ackedClocks()}\n`)
  }, 50)

  // Continuous editing: each client inserts unique tokens every 5-20 ms,
  // online or offline (offline edits are sent on the resync).
  let stopEditing = false
  const editLoop = async (client, idx) => {
    const rng = makeRng(deriveSeed(seed, idx))
    let i = 0
    while (!stopEditing) {
      insertTokenAtRandomBoundary(client.ydoc, rng, `<${client.name}.${i++}>`)
      await sleep(rng.int(5, 20))
    }
    log(`${client.name}: ${i} edits`)
  }
  const stopWatchdogs = list.map((c) => ackWatchdog(c, config.ackTimeoutMs ?? 10000))
  const loops = list.map((c, i) => editLoop(c, i))

  setPhase('editing, waiting for the server to be killed and restarted', () =>
    list.map((c) => `${c.name}: disconnected=${c.sawDisconnect} resynced=${c.resynced} acked=${c.ownAcked}/${c.ownClock}`).join('; '))
  // config.survivors: indices of clients whose server is not killed (several processes); they
  // are not expected to reconnect.
  const survivors = new Set(config.survivors ?? [])
  await waitFor(() => list.every((c, i) => survivors.has(i) || c.resynced) &&
    list.some((c) => c.resynced), { intervalMs: 50 })
  log('all clients reconnected and resynced after the restart')

  setPhase(`editing ${editMs} ms after the restart`)
  await sleep(editMs)
  stopEditing = true
  await Promise.all(loops)
  stopWatchdogs.forEach((stop) => stop())

  setPhase('waiting for convergence and acks of all own updates', () =>
    list.map((c) => `${c.name}: acked=${c.ownAcked}/${c.ownClock}`).join('; ') + `; equal=${allEqual(list)}`)
  await waitFor(() => allEqual(list) && list.every((c) => c.ownAcked >= c.ownClock), { intervalMs: 50 })
  clearInterval(progress)
  await writeStdout(`PROGRESS acked=${totalAcks()}`)

  const acked = {}
  for (const c of list) acked[String(c.clientId)] = c.ownAcked
  return { ok: true, acked, ackedBeforeKill, content: list[0].content }
}

// ---------------------------------------------------------------------------
// Scenario 6: readonly
// ---------------------------------------------------------------------------

const readonly = async (config) => {
  const [rw] = await connectAll(config, [config.rwToken], ['RW'])
  setPhase('RW writing')
  const rwText = rw.ydoc.getText('text')
  rwText.insert(rwText.length, 'rw-text')

  const [ro] = await connectAll(config, [config.roToken], ['RO'])
  setPhase('RO waiting to see rw-text', () => describeContents([rw, ro]))
  await waitFor(() => ro.ydoc.getText('text').toString().includes('rw-text'),
    { timeoutMs: 5000, what: 'RO to see rw-text' })

  setPhase('RO writing (must be refused)')
  const deniedBefore = ro.authDenied.length
  const roText = ro.ydoc.getText('text')
  roText.insert(roText.length, 'ro-text')
  // Give a wrongly accepted update 500 ms to reach RW, then (if it has not
  // arrived yet) keep waiting up to denyWaitMs for the permission-denied message.
  await sleep(500)
  if (rw.ydoc.getText('text').toString().includes('ro-text')) {
    throw new ScenarioError('RW received "ro-text": the server applied/relayed an update from a read-only connection')
  }
  const denyWaitMs = config.denyWaitMs ?? 3000
  const deadline = Date.now() + denyWaitMs
  while (ro.authDenied.length === deniedBefore && Date.now() < deadline) await sleep(25)
  if (rw.ydoc.getText('text').toString().includes('ro-text')) {
    throw new ScenarioError('RW received "ro-text": the server applied/relayed an update from a read-only connection')
  }
  if (ro.authDenied.length === 0) {
    throw new ScenarioError(`RO received no auth permission-denied message within ${500 + denyWaitMs} ms of writing`)
  }
  if (ro.authDenied.length === deniedBefore) {
    log(`note: permission-denied only received before the write: ${JSON.stringify(ro.authDenied)}`)
  }
  return { ok: true, authDenied: ro.authDenied[ro.authDenied.length - 1], rwContent: rw.content }
}

// ---------------------------------------------------------------------------
// Scenario 7: awareness
// ---------------------------------------------------------------------------

const awareness = async (config) => {
  const tokens = config.tokens
  if (!Array.isArray(tokens) || tokens.length < 3) throw new ScenarioError('config.tokens must hold 3 tokens')
  const names = ['A', 'B', 'C']
  const list = tokens.slice(0, 3).map((t, i) => {
    const c = new Client(names[i], config, t)
    // Set before the socket opens: y-websocket sends it on connect.
    c.provider.awareness.setLocalState({ user: { name: names[i] } })
    return c
  })
  const [a, b, c] = list

  /** Whether `viewer` currently holds `other`'s awareness state. */
  const sees = (viewer, other) => {
    const state = viewer.provider.awareness.getStates().get(other.clientId)
    return !!state && !!state.user && state.user.name === other.name
  }
  const describe = () => list.map((v) =>
    `${v.name} sees [${[...v.provider.awareness.getStates().entries()].map(([id, s]) => `${id}:${JSON.stringify(s)}`).join(', ')}]`
  ).join('; ')

  setPhase('waiting until every client sees the others', describe)
  await Promise.all(list.map((x) => x.waitSynced()))
  await waitFor(() => list.every((v) => list.every((o) => o === v || sees(v, o))))
  log('all three clients see each other')

  // C goes away WITHOUT announcing it: by default its socket is terminated
  // abruptly, so no "state = null" awareness update is sent and only the
  // server's cleanup on connection close can remove C's state from A and B
  // (provider.destroy() would itself broadcast the removal and hide a missing
  // server-side cleanup). Set config.graceful=true to use provider.destroy().
  if (config.graceful) {
    setPhase('C leaving gracefully (provider.destroy())')
    c.provider.destroy()
  } else {
    setPhase('C leaving abruptly (socket terminated)')
    c.provider.shouldConnect = false // no reconnect
    c.provider.ws.terminate()
  }

  const removeTimeoutMs = config.removeTimeoutMs ?? 5000
  setPhase("waiting for A and B to drop C's state", describe)
  await waitFor(() => !sees(a, c) && !sees(b, c) &&
    !a.provider.awareness.getStates().has(c.clientId) && !b.provider.awareness.getStates().has(c.clientId),
  { timeoutMs: removeTimeoutMs, what: `A and B to remove C's awareness state (${describe()})` })
  // Exactly C's state must be gone: A and B still see each other, now and a bit later.
  for (let i = 0; i < 3; i++) {
    if (!sees(a, b) || !sees(b, a)) {
      throw new ScenarioError(`A and B no longer see each other after C left: ${describe()}`)
    }
    await sleep(200)
  }
  return { ok: true }
}

// ---------------------------------------------------------------------------
// Scenario 8: idle
// ---------------------------------------------------------------------------

const idle = async (config) => {
  const idleMs = config.idleMs ?? 35000
  const client = new Client('I', config, config.token)
  // No awareness state: y-websocket then sends nothing at all, so only the
  // server's own traffic prevents the client's 30 s "no message" watchdog
  // from dropping the connection.
  client.provider.awareness.setLocalState(null)
  setPhase('connecting and syncing')
  await client.waitSynced()
  const before = client.disconnects
  setPhase(`idle for ${idleMs} ms`, () => `disconnects so far: ${client.disconnects - before}`)
  await sleep(idleMs)
  const disconnects = client.disconnects - before
  log(`disconnects during idle period: ${disconnects}`)
  return { ok: true, disconnects }
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Scenario: provenance — two chairs edit passages that carry provenance marks
// ---------------------------------------------------------------------------

/** The Y.XmlText of top-level paragraph `i` of the fragment `default`. */
const paragraphText = (ydoc, i) => {
  const node = ydoc.getXmlFragment('default').get(i)
  if (!node || node.nodeName !== 'paragraph') throw new ScenarioError(`node ${i} is not a paragraph`)
  const text = node.get(0)
  if (!(text instanceof Y.XmlText)) throw new ScenarioError(`paragraph ${i} holds no text`)
  return text
}

/**
 * Splits paragraph `i` at `at` as y-prosemirror writes a ProseMirror split: the tail leaves the
 * paragraph's text and a new paragraph after it holds the tail, with the tail's marks.
 */
const splitParagraph = (ydoc, i, at) => {
  ydoc.transact(() => {
    const text = paragraphText(ydoc, i)
    const tail = []
    let pos = 0
    for (const op of text.toDelta()) {
      const end = pos + op.insert.length
      if (end > at) tail.push({ insert: op.insert.slice(Math.max(0, at - pos)), attributes: op.attributes })
      pos = end
    }
    text.delete(at, text.length - at)
    const p = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    p.insert(0, [t])
    ydoc.getXmlFragment('default').insert(i + 1, [p])
    let offset = 0
    for (const op of tail) {
      t.insert(offset, op.insert, op.attributes ?? {})
      offset += op.insert.length
    }
  })
}

/** Merges paragraph `i + 1` into paragraph `i` (a ProseMirror join), keeping its marks. */
const mergeParagraphs = (ydoc, i) => {
  ydoc.transact(() => {
    const fragment = ydoc.getXmlFragment('default')
    const into = paragraphText(ydoc, i)
    const from = paragraphText(ydoc, i + 1)
    let offset = into.length
    for (const op of from.toDelta()) {
      into.insert(offset, op.insert, op.attributes ?? {})
      offset += op.insert.length
    }
    fragment.delete(i + 1, 1)
  })
}

const provenance = async (config) => {
  const tokens = config.tokens
  if (!Array.isArray(tokens) || tokens.length !== 2) throw new ScenarioError('config.tokens must hold 2 tokens')
  const [a, b] = await connectAll(config, tokens, ['chairA', 'chairB'], { ack: true })
  const fragment = a.ydoc.getXmlFragment('default')
  if (fragment.length < 3) throw new ScenarioError(`expected 3 passages, found ${fragment.length}`)

  // 1. Rewording: chair A types inside the first passage and deletes a few words of it.
  setPhase('rewording')
  const first = paragraphText(a.ydoc, 0)
  first.insert(10, 'som HMU ser det, ')
  first.delete(first.length - 6, 5)

  // 2. Splitting: chair B splits the second passage in two.
  setPhase('splitting')
  const second = paragraphText(b.ydoc, 1)
  splitParagraph(b.ydoc, 1, Math.floor(second.length / 2))

  // 3. Two chairs at once: both type into the first passage without waiting for each other.
  setPhase('editing at once')
  await waitFor(() => a.contentString === b.contentString, { timeoutMs: 15000, what: 'A and B converged after the split' })
  paragraphText(a.ydoc, 0).insert(3, 'klart ')
  paragraphText(b.ydoc, 0).insert(paragraphText(b.ydoc, 0).length - 1, ' (tilføjet af næstformanden)')

  // 4. Merging: chair A joins the third passage (now fourth, after the split) into the third.
  setPhase('merging')
  await waitFor(() => a.contentString === b.contentString, { timeoutMs: 15000, what: 'A and B converged after editing at once' })
  mergeParagraphs(a.ydoc, 2)

  setPhase('waiting for the server to save everything')
  await waitFor(() => a.ownAcked >= a.ownClock && b.ownAcked >= b.ownClock &&
    a.contentString === b.contentString, { timeoutMs: 15000, what: 'both chairs saved and converged' })
  const texts = []
  for (let i = 0; i < fragment.length; i++) {
    const node = fragment.get(i)
    texts.push({
      type: node.nodeName,
      delta: node.get(0) instanceof Y.XmlText ? node.get(0).toDelta() : []
    })
  }
  return { ok: true, content: a.content, paragraphs: texts }
}

const SCENARIOS = {
  converge, // tokens[3], edits=50, seed=1
  write, // token, ack, text, xml, ackTimeoutMs=10000
  read, // token
  richtext, // tokens[K], seed=1, ops=60, readerToken
  durable, // tokens[K], editMs=1500, seed=1, ackTimeoutMs=10000
  readonly, // rwToken, roToken, denyWaitMs=3000
  awareness, // tokens[3], removeTimeoutMs=5000, graceful=false
  idle, // token, idleMs=35000
  provenance // tokens[2] (chairs' API tokens): rewording, splitting, merging, two at once
}

const main = async () => {
  const [name, rawConfig] = process.argv.slice(2)
  const scenario = SCENARIOS[name]
  if (!scenario) throw new ScenarioError(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`)
  let config
  try {
    config = JSON.parse(rawConfig ?? '{}')
  } catch (e) {
    throw new ScenarioError(`invalid JSON config: ${e.message}`)
  }
  if (typeof config.url !== 'string' || typeof config.doc !== 'string') {
    throw new ScenarioError('config.url and config.doc are required strings')
  }
  const timeoutMs = config.timeoutMs ?? 60000
  setTimeout(() => {
    const details = (() => { try { return phaseDetails() } catch (e) { return `(details failed: ${e.message})` } })()
    fail(`scenario "${name}" timed out after ${timeoutMs} ms in phase "${phase}"${details ? ': ' + details : ''}`)
  }, timeoutMs)
  log(`scenario ${name} against ${config.url}/${config.doc} (timeout ${timeoutMs} ms)`)
  const result = await scenario(config)
  await succeed(result)
}

process.on('unhandledRejection', (e) => fail(e && e.stack ? e.stack : String(e)))
process.on('uncaughtException', (e) => fail(e && e.stack ? e.stack : String(e)))

main().catch((e) => fail(e instanceof ScenarioError ? e.message : (e && e.stack) || String(e)))
