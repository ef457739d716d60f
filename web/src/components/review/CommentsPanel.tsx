import { useState } from 'preact/hooks'
import { ApiError } from '../../api'
import { formatDateTime } from '../../format'
import { type Comment, roundApi } from '../../round-api'
import { ErrorMessage } from '../ErrorMessage'
import { focusById } from '../focusById'
import type { Anchor } from './sharedText'
import type { SelectedPassage } from './SharedText'

function short(s: string, n = 240): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}

/** The comments' anchors for the text, numbered as on the page (K1, K2, …). */
export function anchorsOf(comments: Comment[]): Anchor[] {
  return comments.map((c, i) => ({
    id: c.id,
    n: i + 1,
    start: c.anchor_start,
    end: c.anchor_end,
    resolved: c.resolved,
  }))
}

/** A new comment on the selected passage. */
export function CommentForm(props: {
  hearingId: number
  versionId: number
  selection: SelectedPassage | null
  onAdded: (c: Comment) => void
}) {
  const [body, setBody] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const sel = props.selection

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    if (!sel) {
      setError(new ApiError(400, 'Markér først den passage i teksten, du vil kommentere.'))
      return
    }
    if (!body.trim()) {
      setError(new ApiError(400, 'Skriv kommentaren først.'))
      return
    }
    setBusy(true)
    try {
      const c = await roundApi.comment(props.hearingId, {
        version_id: props.versionId,
        anchor_start: sel.start,
        anchor_end: sel.end,
        quote: sel.quote,
        body: body.trim(),
      })
      setBody('')
      props.onAdded(c)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form comment-form" onSubmit={submit} aria-labelledby="comment-form-heading">
      <h3 id="comment-form-heading">Ny kommentar</h3>
      <p id="comment-selection" class="comment-form__selection" data-testid="comment-selection">
        {sel ? (
          <>
            Markeret tekst: <q>{short(sel.quote, 200)}</q>
          </>
        ) : (
          'Ingen tekst er markeret. Markér den passage i teksten, du vil kommentere.'
        )}
      </p>
      <div class="field">
        <label for="comment-body">Din kommentar til den markerede tekst</label>
        <textarea
          id="comment-body"
          rows={3}
          value={body}
          aria-describedby="comment-selection"
          onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <ErrorMessage error={error} prefix="Kommentaren blev ikke tilføjet:" />
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Tilføjer…' : 'Tilføj kommentar'}
      </button>
    </form>
  )
}

/** A chair resolves a comment, with an optional answer. */
function ResolveForm(props: { hearingId: number; comment: Comment; n: number; onResolved: () => void }) {
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const id = `resolution-${props.comment.id}`
  return (
    <form
      class="form form--inline comment__resolve"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await roundApi.resolve(props.hearingId, props.comment.id, text.trim())
          props.onResolved()
        } catch (err) {
          setError(err)
        } finally {
          setBusy(false)
        }
      }}
    >
      <div class="field">
        <label for={id}>Svar eller afgørelse til K{props.n} (valgfrit)</label>
        <input id={id} type="text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Afslutter…' : `Afslut kommentar K${props.n}`}
      </button>
      <ErrorMessage error={error} />
    </form>
  )
}

/** The comments beside the text: their passages, who wrote them, and whether they are resolved. */
export function CommentList(props: {
  hearingId: number
  comments: Comment[]
  /** Comments whose passage is in the text now; null until the text is loaded. */
  found: Set<number> | null
  active: number | null
  canResolve: boolean
  onShow: (a: Anchor) => void
  onResolved: (n: number) => void
}) {
  const anchors = anchorsOf(props.comments)
  const open = props.comments.filter((c) => !c.resolved).length
  return (
    <section aria-labelledby="comments-heading" class="comments">
      <h3 id="comments-heading">
        Kommentarer ({props.comments.length}, heraf {open} åbne)
      </h3>
      {props.comments.length === 0 ? (
        <p class="muted">Ingen kommentarer endnu.</p>
      ) : (
        <ol class="comment-list" data-testid="comments">
          {props.comments.map((c, i) => {
            const a = anchors[i]
            const gone = props.found !== null && c.anchor_start !== null && !props.found.has(c.id)
            return (
              <li
                key={c.id}
                id={`kommentar-${c.id}`}
                tabIndex={-1}
                class={`comment${c.resolved ? ' is-resolved' : ''}${props.active === c.id ? ' is-active' : ''}`}
                data-comment={c.id}
                data-resolved={c.resolved ? 'true' : 'false'}
              >
                <p class="comment__head">
                  <span class="comment__n">K{a.n}</span> <strong>{c.author.name}</strong>{' '}
                  <span class="muted">{formatDateTime(c.created_at)}</span>{' '}
                  <span class={`comment__state status ${c.resolved ? 'status--submitted' : 'status--in_progress'}`}>
                    <span aria-hidden="true">{c.resolved ? '✓ ' : '● '}</span>
                    {c.resolved ? 'Afsluttet' : 'Åben'}
                  </span>
                </p>
                {c.quote && (
                  <blockquote class="comment__quote">
                    <span class="visually-hidden">Kommenteret tekst: </span>
                    {short(c.quote)}
                  </blockquote>
                )}
                <p class="comment__body prewrap">{c.body}</p>
                {gone && (
                  <p class="muted" data-testid="comment-gone">
                    Den kommenterede passage findes ikke længere i teksten.
                  </p>
                )}
                {c.resolved && (
                  <p class="comment__resolution">
                    Afsluttet af {c.resolved_by?.name ?? 'formandskabet'} {formatDateTime(c.resolved_at)}
                    {c.resolution ? `: ${c.resolution}` : '.'}
                  </p>
                )}
                <div class="comment__actions">
                  {!gone && c.anchor_start && (
                    <button type="button" class="button button--small" onClick={() => props.onShow(a)}>
                      Vis K{a.n} i teksten
                    </button>
                  )}
                </div>
                {props.canResolve && !c.resolved && (
                  <ResolveForm
                    hearingId={props.hearingId}
                    comment={c}
                    n={a.n}
                    onResolved={() => {
                      props.onResolved(a.n)
                      focusById(`kommentar-${c.id}`)
                    }}
                  />
                )}
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
