// One live document session: a Y.Doc synced with our server through y-websocket, with
// presence (awareness), "saved" acknowledgements (message type 100) and connection state.
import * as decoding from 'lib0/decoding'
import type * as encoding from 'lib0/encoding'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** Message type 100: `n × (clientId, clock)`: every update of clientId below clock is durable. */
export const MESSAGE_SAVED = 100
const MESSAGE_AUTH = 2

export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'closed'

export interface CollabStatus {
  connection: Connection
  /** The server has sent its state at least once on the current connection. */
  synced: boolean
  /** Every local change is acknowledged as durable by the server. */
  saved: boolean
  /** The 44xx code the server closed with; the provider no longer reconnects. */
  closeCode: number | null
  /** The server refused a change with an auth message (e.g. the response became read-only). */
  denied: string | null
}

export interface Presence {
  clientId: number
  name: string
  color: string
  self: boolean
}

export function wsBase(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${window.location.host}`
}

export class CollabSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  private status: CollabStatus = {
    connection: 'connecting',
    synced: false,
    saved: true,
    closeCode: null,
    denied: null,
  }
  private ackedClock = 0
  /** Local delete-only changes (they advance no clock) awaiting the next acknowledgement. */
  private pendingDeletes = 0
  private everConnected = false
  private listeners = new Set<(s: CollabStatus) => void>()

  constructor(documentId: string) {
    this.provider = new WebsocketProvider(`${wsBase()}/ws`, documentId, this.doc, {
      params: { ack: '1' },
      // Every change goes through the server, which checks access; tabs never sync directly.
      disableBc: true,
    })
    const p = this.provider
    p.messageHandlers[MESSAGE_SAVED] = (
      _encoder: encoding.Encoder,
      decoder: decoding.Decoder,
    ) => this.onSaved(decoder)
    p.messageHandlers[MESSAGE_AUTH] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
      if (decoding.readVarUint(decoder) === 0) {
        this.set({ denied: decoding.readVarString(decoder) || 'denied' })
      }
    }
    p.on('status', ({ status }) => {
      if (status === 'connected') {
        this.everConnected = true
        this.set({ connection: 'connected' })
      } else if (this.status.connection !== 'closed') {
        this.set({ connection: this.everConnected ? 'reconnecting' : 'connecting', synced: false })
      }
    })
    p.on('sync', (synced: boolean) => this.set({ synced }))
    p.on('closed', ({ code }) => this.set({ connection: 'closed', closeCode: code, synced: false }))
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === p) return // from the server
      if (!this.advancesOwnClock(update)) this.pendingDeletes++
      this.recomputeSaved()
    })
  }

  private advancesOwnClock(update: Uint8Array): boolean {
    const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))
    return sv.has(this.doc.clientID)
  }

  private onSaved(decoder: decoding.Decoder) {
    const n = decoding.readVarUint(decoder)
    for (let i = 0; i < n; i++) {
      const client = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      if (client === this.doc.clientID && clock > this.ackedClock) this.ackedClock = clock
    }
    // The server acknowledges every update it commits, also one that only deletes (then with
    // no clocks): any acknowledgement after a delete was sent covers it, as the server commits
    // a connection's updates in order.
    this.pendingDeletes = 0
    this.recomputeSaved()
  }

  private recomputeSaved() {
    const local = Y.getState(this.doc.store, this.doc.clientID)
    this.set({ saved: local <= this.ackedClock && this.pendingDeletes === 0 })
  }

  private set(patch: Partial<CollabStatus>) {
    const next = { ...this.status, ...patch }
    if (
      next.connection === this.status.connection &&
      next.synced === this.status.synced &&
      next.saved === this.status.saved &&
      next.closeCode === this.status.closeCode &&
      next.denied === this.status.denied
    )
      return
    this.status = next
    for (const l of this.listeners) l(next)
  }

  getStatus(): CollabStatus {
    return this.status
  }

  onStatus(l: (s: CollabStatus) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  /** Everyone present, from awareness (CollaborationCaret publishes `user: {name, color}`). */
  presence(): Presence[] {
    const out: Presence[] = []
    this.provider.awareness.getStates().forEach((state, clientId) => {
      const user = (state as { user?: { name?: string; color?: string } }).user
      if (!user?.name) return
      out.push({
        clientId,
        name: user.name,
        color: user.color ?? '#555',
        self: clientId === this.doc.clientID,
      })
    })
    return out.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'da'))
  }

  onPresence(l: () => void): () => void {
    const aw = this.provider.awareness
    aw.on('change', l)
    return () => aw.off('change', l)
  }

  destroy() {
    this.listeners.clear()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.doc.destroy()
  }
}

/** Colours dark enough for white text (WCAG AA), one per user id. */
const PALETTE = ['#1f5fa8', '#a3341f', '#2f6b2f', '#7a3a9a', '#8a5300', '#00727a', '#a02b6b', '#4a4f9c']

export function colorFor(userId: number): string {
  return PALETTE[Math.abs(userId) % PALETTE.length]
}

/** Why the server closed the connection for good, in Danish. */
export function closeMessage(code: number): string {
  switch (code) {
    case 4401:
      return 'Du er ikke længere logget ind. Log ind igen for at fortsætte med at skrive.'
    case 4403:
      return 'Du har ingen adgang til dette høringssvar.'
    case 4404:
      return 'Dokumentet findes ikke.'
    case 4400:
      return 'Serveren afviste en ændring, så den blev ikke gemt. Genindlæs siden for at fortsætte fra den gemte tekst.'
    case 4413:
      return 'Dokumentet er blevet for stort, så den seneste ændring blev ikke gemt. Genindlæs siden for at fortsætte fra den gemte tekst, og gør ændringen mindre – eller kontakt sekretariatet.'
    default:
      return `Forbindelsen til serveren blev lukket (kode ${code}). Genindlæs siden for at fortsætte.`
  }
}
