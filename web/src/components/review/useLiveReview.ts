import { useCallback, useEffect, useRef } from 'preact/hooks'
import { api } from '../../api'

/** How often an open review page looks again (comments and positions of others). */
const POLL_MS = 15000
/**
 * A text change is followed by the server's check of the approvals: look shortly after it, and
 * once more a little later in case the check had not finished (edits in a burst move both on).
 */
const AFTER_EDIT_MS = [700, 2500]

/**
 * Keeps a review page current: the hearing's board events (every change of state), a look
 * shortly after the joint text changes (an edit voids approvals), and a periodic look while the
 * page is visible — the server has no event stream of comments and positions.
 * Returns the callback for remote text changes.
 */
export function useLiveReview(hearingId: number, reload: () => unknown): () => void {
  const reloadRef = useRef(reload)
  reloadRef.current = reload
  const timers = useRef<number[]>([])

  const soon = useCallback(() => {
    for (const t of timers.current) window.clearTimeout(t)
    timers.current = AFTER_EDIT_MS.map((ms) => window.setTimeout(() => reloadRef.current(), ms))
  }, [])

  useEffect(() => {
    let first = true
    const es = new EventSource(api.boardEventsUrl(hearingId), { withCredentials: true })
    es.addEventListener('board', () => {
      // The first event is the board as it is; later ones say something changed.
      if (first) first = false
      else reloadRef.current()
    })
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') reloadRef.current()
    }, POLL_MS)
    const onVisible = () => {
      if (document.visibilityState === 'visible') reloadRef.current()
    }
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      es.close()
      window.clearInterval(poll)
      document.removeEventListener('visibilitychange', onVisible)
      for (const t of timers.current) window.clearTimeout(t)
    }
  }, [hearingId])

  return soon
}
