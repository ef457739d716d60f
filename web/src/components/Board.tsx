import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type Board as BoardData, type HearingState } from '../api'
import { formatDateTime, responseStatusLabel } from '../format'
import { ErrorMessage } from './ErrorMessage'
import { Link } from './Link'
import { Loading } from './Loading'
import { StatusBadge } from './StatusBadge'

/**
 * The hearing's board: every invited LMU with its response status, kept live through the
 * server's Server-Sent Events (`board` events carry the whole board).
 */
export function Board(props: { hearingId: number; onStateChange?: (s: HearingState) => void }) {
  const [board, setBoard] = useState<BoardData | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [live, setLive] = useState<'connecting' | 'live' | 'retrying'>('connecting')
  const [announcement, setAnnouncement] = useState('')
  const previous = useRef<BoardData | null>(null)
  const onStateChange = useRef(props.onStateChange)
  onStateChange.current = props.onStateChange

  useEffect(() => {
    let closed = false
    const accept = (b: BoardData) => {
      if (closed) return
      const before = previous.current
      if (before) {
        const changes = b.rows
          .filter((r) => {
            const old = before.rows.find((o) => o.committee.id === r.committee.id)
            return old && old.status !== r.status
          })
          .map((r) => `${r.committee.short_name}: ${responseStatusLabel[r.status]}`)
        if (changes.length) setAnnouncement(`Tavlen er opdateret. ${changes.join('. ')}.`)
        if (before.state !== b.state) onStateChange.current?.(b.state)
      }
      previous.current = b
      setBoard(b)
      setError(null)
    }
    // The first board comes from a plain GET, so the page shows it even before the stream opens.
    api.board(props.hearingId).then(accept, (e) => !closed && setError(e))
    const es = new EventSource(api.boardEventsUrl(props.hearingId), { withCredentials: true })
    es.addEventListener('board', (ev) => {
      try {
        accept(JSON.parse((ev as MessageEvent).data))
        setLive('live')
      } catch {
        // a malformed event is ignored; the next one carries the whole board again
      }
    })
    es.onopen = () => setLive('live')
    es.onerror = () => setLive('retrying')
    return () => {
      closed = true
      es.close()
    }
  }, [props.hearingId])

  return (
    <section aria-labelledby="board-heading" class="board">
      <h2 id="board-heading">Tavle: LMU’ernes høringssvar</h2>
      <p class="muted" role="status">
        {live === 'live'
          ? 'Tavlen opdateres automatisk.'
          : live === 'retrying'
            ? 'Forbindelsen til tavlen er afbrudt – forbinder igen…'
            : 'Forbinder til tavlen…'}
      </p>
      <div class="visually-hidden" aria-live="polite">
        {announcement}
      </div>
      <ErrorMessage error={error} />
      {!board && !error && <Loading what="tavlen" />}
      {board && (
        <div class="table-wrap">
          <table class="table" data-testid="board">
            <caption class="visually-hidden">Status for hvert inviteret LMU</caption>
            <thead>
              <tr>
                <th scope="col">LMU</th>
                <th scope="col">Status</th>
                <th scope="col">Seneste redigering</th>
                <th scope="col">Redigerer nu</th>
                <th scope="col">Indsendt</th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((r) => (
                <tr key={r.committee.id} data-committee={r.committee.short_name}>
                  <th scope="row">
                    {r.can_open && r.response_id !== null ? (
                      <Link href={`/svar/${r.response_id}`}>
                        {r.committee.name}
                        <span class="visually-hidden"> – åbn høringssvaret</span>
                      </Link>
                    ) : (
                      r.committee.name
                    )}
                  </th>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.last_edit_at ? formatDateTime(r.last_edit_at) : '–'}</td>
                  <td>{r.editing_now.length ? r.editing_now.join(', ') : '–'}</td>
                  <td>
                    {r.submitted_at
                      ? `${formatDateTime(r.submitted_at)}${r.submitted_by ? ` af ${r.submitted_by.name}` : ''}`
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
