import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type HearingChange } from '../api'

/** How often a page looks again while the event stream is down (and only then). */
const FALLBACK_MS = 30000
/** A stream the server refused (it then stays closed) is opened again after this long. */
const REOPEN_MS = 15000

export type LiveState = 'connecting' | 'live' | 'retrying'

/**
 * Follows a hearing's live events (`GET /api/hearings/{id}/events`, Server-Sent Events): calls
 * `onChange('hearing')` when its state, responses, comments, positions or approvals change,
 * and `onChange('text')` when the joint response's text changes. The server sends nothing it
 * missed, so whenever the stream opens (also the first time: a change may fall between the
 * page's first read and the stream's start) the page is told `'hearing'` once (read everything
 * again); while the stream is down it is told so every 30 s while visible.
 * While the stream is up there is no polling at all. `enabled: false` (the user may not see the
 * hearing) closes the stream.
 */
export function useHearingEvents(
  hearingId: number,
  onChange: (what: HearingChange) => void,
  enabled = true,
): LiveState {
  const [state, setState] = useState<LiveState>('connecting')
  const cb = useRef(onChange)
  cb.current = onChange

  useEffect(() => {
    if (!enabled) return
    let es: EventSource | null = null
    let live = false
    let reopen: number | undefined
    let stopped = false

    const open = () => {
      es = new EventSource(api.hearingEventsUrl(hearingId), { withCredentials: true })
      es.onopen = () => {
        live = true
        setState('live')
        // The server sends nothing that happened before the stream opened: what changed while
        // it was down, or (the first time) between the page's first read and the stream's
        // start, is read once now.
        cb.current('hearing')
      }
      es.addEventListener('changed', (ev) => {
        let what: HearingChange = 'hearing'
        try {
          if (JSON.parse((ev as MessageEvent).data)?.what === 'text') what = 'text'
        } catch {
          // an event we cannot read still says that something changed
        }
        cb.current(what)
      })
      es.onerror = () => {
        live = false
        setState('retrying')
        // A network error reconnects by itself; a refusal (an HTTP error) closes the stream.
        if (es?.readyState === EventSource.CLOSED && !stopped) {
          window.clearTimeout(reopen)
          reopen = window.setTimeout(open, REOPEN_MS)
        }
      }
    }
    open()

    const fallback = window.setInterval(() => {
      if (!live && document.visibilityState === 'visible') cb.current('hearing')
    }, FALLBACK_MS)
    return () => {
      stopped = true
      es?.close()
      window.clearTimeout(reopen)
      window.clearInterval(fallback)
    }
  }, [hearingId, enabled])

  return state
}

/** The stream's state in words, for a page's status line. */
export function liveStateText(s: LiveState): string {
  return s === 'live'
    ? 'Siden opdateres automatisk, når andre ændrer noget.'
    : s === 'retrying'
      ? 'Forbindelsen til serveren er afbrudt – forbinder igen. Indtil da ser siden efter ændringer hvert halve minut.'
      : 'Forbinder…'
}
