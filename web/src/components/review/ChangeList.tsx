import { useState } from 'preact/hooks'
import type { Diff, ReviewChange } from '../../round-api'
import { roundApi } from '../../round-api'
import { changeLabel, changeSymbol } from '../../round-format'
import { ErrorMessage } from '../ErrorMessage'
import { DiffBlock } from './DiffView'

function names(people: { name: string }[]): string {
  return people.length ? people.map((p) => p.name).join(', ') : 'ingen'
}

/** One change: what it is, who agreed and objected (with notes), and the member's own position. */
function ChangeItem(props: {
  hearingId: number
  versionId: number
  change: ReviewChange
  n: number
  total: number
  diff: Diff | null
  canPosition: boolean
  onRecorded: (message: string) => void
}) {
  const c = props.change
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const entry = props.diff?.entries[c.entry]
  const noteId = `note-${c.key}`
  const headingId = `change-${c.key}`

  const record = async (position: 'agree' | 'object') => {
    setBusy(true)
    setError(null)
    try {
      await roundApi.position(props.hearingId, props.versionId, c.key, position, note.trim())
      setNote('')
      props.onRecorded(
        `Din holdning til ændring ${props.n} er registreret: ${position === 'agree' ? 'enig' : 'uenig'}.`,
      )
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <li class="change" data-change-key={c.key}>
      <h3 id={headingId} class="change__heading">
        Ændring {props.n} af {props.total}:{' '}
        <span aria-hidden="true">{changeSymbol[c.change]} </span>
        {changeLabel[c.change]}
      </h3>
      {entry ? <DiffBlock entry={entry} showBadge={false} /> : <p>{c.summary}</p>}
      <dl class="positions" data-testid="positions">
        <div>
          <dt>
            <span aria-hidden="true">✓ </span>Enige ({c.agree.length})
          </dt>
          <dd data-testid="agree">{names(c.agree)}</dd>
        </div>
        <div>
          <dt>
            <span aria-hidden="true">✗ </span>Uenige ({c.object.length})
          </dt>
          <dd data-testid="object">{names(c.object)}</dd>
        </div>
      </dl>
      {c.notes.length > 0 && (
        <>
          <p class="positions__notes-label">Bemærkninger:</p>
          <ul class="positions__notes" data-testid="notes">
            {c.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </>
      )}
      {c.mine && (
        <p class="positions__mine" data-testid="mine">
          Din holdning: <strong>{c.mine === 'agree' ? 'Enig' : 'Uenig'}</strong>
        </p>
      )}
      {props.canPosition && (
        <div class="position-form">
          <div class="field">
            <label for={noteId}>Bemærkning til ændring {props.n} (valgfri)</label>
            <input
              id={noteId}
              type="text"
              value={note}
              onInput={(e) => setNote((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="actions">
            <button
              type="button"
              class="button"
              aria-pressed={c.mine === 'agree'}
              disabled={busy}
              onClick={() => record('agree')}
            >
              Enig<span class="visually-hidden"> i ændring {props.n}</span>
            </button>
            <button
              type="button"
              class="button"
              aria-pressed={c.mine === 'object'}
              disabled={busy}
              onClick={() => record('object')}
            >
              Uenig<span class="visually-hidden"> i ændring {props.n}</span>
            </button>
          </div>
          <ErrorMessage error={error} prefix="Holdningen blev ikke registreret:" />
        </div>
      )}
    </li>
  )
}

/** The changes of the current shared version, each with the members' positions. */
export function ChangeList(props: {
  hearingId: number
  versionId: number
  changes: ReviewChange[]
  diff: Diff | null
  canPosition: boolean
  onRecorded: (message: string) => void
}) {
  if (props.changes.length === 0) return <p>Denne version har ingen ændringer i forhold til den forrige.</p>
  return (
    <ol class="change-list" data-testid="changes">
      {props.changes.map((c, i) => (
        <ChangeItem
          key={c.key}
          hearingId={props.hearingId}
          versionId={props.versionId}
          change={c}
          n={i + 1}
          total={props.changes.length}
          diff={props.diff}
          canPosition={props.canPosition}
          onRecorded={props.onRecorded}
        />
      ))}
    </ol>
  )
}
