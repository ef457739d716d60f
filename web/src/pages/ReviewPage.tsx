import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { api, ApiError, type Hearing } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { focusById } from '../components/focusById'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { ApprovalPanel } from '../components/review/ApprovalPanel'
import { ChangeList } from '../components/review/ChangeList'
import { anchorsOf, CommentForm, CommentList } from '../components/review/CommentsPanel'
import { DiffView } from '../components/review/DiffView'
import { type SelectedPassage, SharedText, type SharedTextHandle } from '../components/review/SharedText'
import type { Anchor } from '../components/review/sharedText'
import { formatDateTime, hearingStateLabel } from '../format'
import { liveStateText, useHearingEvents } from '../live/useHearingEvents'
import { useSerialLoad } from '../live/useSerialLoad'
import { type Review, roundApi } from '../round-api'
import { useUser } from '../session'

/** What the "since" of a review means, in words. */
function sinceText(r: Review): string {
  const cur = r.current?.name ?? ''
  if (r.since === 'last_seen' && r.base) return `Ændringer fra ${r.base.name}, som du så sidst, til ${cur}.`
  if (r.since === 'previous_shared' && r.base)
    return `Ændringer fra den forrige delte version, ${r.base.name}, til ${cur}.`
  return `${cur} er den første delte version, så hele teksten vises som ny.`
}

/** What others did between two loads of the review, for the live region. */
function news(before: Review, after: Review, me: number): string[] {
  const out: string[] = []
  if (after.current && after.current.id !== before.current?.id)
    out.push(`Formandskabet har delt ${after.current.name}.`)
  if (after.approval.voided.length > before.approval.voided.length) {
    const v = after.approval.voided[0]
    out.push(`En godkendelse er annulleret, fordi ${v.reason}.`)
  }
  if (after.state !== before.state) out.push(`Høringen er nu: ${hearingStateLabel[after.state] ?? after.state}.`)
  if (after.live_differs && !before.live_differs && after.current && after.current.id === before.current?.id)
    out.push(`Formandskabet har ændret teksten, efter ${after.current.name} blev delt.`)
  const known = new Set(before.comments.map((c) => c.id))
  const added = after.comments.filter((c) => !known.has(c.id) && c.author.id !== me)
  if (added.length) out.push(added.length === 1 ? 'Der er kommet en ny kommentar.' : `Der er kommet ${added.length} nye kommentarer.`)
  after.comments.forEach((c, i) => {
    const was = before.comments.find((b) => b.id === c.id)
    if (c.resolved && was && !was.resolved && c.resolved_by?.id !== me)
      out.push(`Kommentar K${i + 1} er afsluttet${c.resolved_by ? ` af ${c.resolved_by.name}` : ''}.`)
  })
  // Positions of others on the same version's changes.
  if (after.current?.id === before.current?.id) {
    const others = (r: Review) =>
      r.changes.reduce((n, c) => n + [...c.agree, ...c.object].filter((p) => p.id !== me).length, 0)
    const more = others(after) - others(before)
    if (more > 0) out.push(more === 1 ? 'Et andet medlem har taget stilling til en ændring.' : `Der er registreret ${more} nye holdninger fra andre.`)
  }
  return out
}

/**
 * The HMU's review of the joint response (`/hoeringer/{id}/gennemsyn`): what changed since the
 * version the member last saw, each change of the current version with agree/object, the text
 * with comments on passages, and the chairs' approval, sharing and freezing.
 */
export function ReviewPage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const user = useUser()
  const [hearing, setHearing] = useState<Hearing | null>(null)
  const [review, setReview] = useState<Review | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [message, setMessage] = useState('')
  const [selection, setSelection] = useState<SelectedPassage | null>(null)
  const [found, setFound] = useState<Set<number> | null>(null)
  const [active, setActive] = useState<number | null>(null)
  /** Marked as seen here, before the review has been read again. */
  const [seen, setSeen] = useState<number | null>(null)
  const text = useRef<SharedTextHandle | null>(null)
  const previous = useRef<Review | null>(null)

  /** Reads the review again; `said` is what the user's own actions did, announced first. */
  const reload = useSerialLoad((said) =>
    roundApi.review(id).then(
      (r) => {
        const before = previous.current
        previous.current = r
        const lines = [...said, ...(before ? news(before, r, user.id) : [])]
        if (lines.length) setMessage(lines.join(' '))
        setReview(r)
        setError(null)
      },
      (e) => {
        if (said.length) setMessage(said.join(' '))
        setError(e)
      },
    ),
  )

  useEffect(() => {
    api.hearing(id).then(setHearing, () => {})
    reload()
  }, [id, reload])

  // The hearing's live events: anything of the review changed, or the text did. The text only
  // matters to the review until it first differs from the shared version (`live_differs` stays
  // true until the next sharing, itself a "hearing" event); the approvals an edit voids come
  // as a "hearing" event of their own.
  const denied = !review && error instanceof ApiError && (error.status === 403 || error.status === 404)
  const live = useHearingEvents(
    id,
    (what) => {
      const r = previous.current
      if (what === 'hearing') {
        reload()
        api.hearing(id).then(setHearing, () => {})
      } else if (r?.current && !r.live_differs && r.state !== 'frozen') reload()
    },
    !denied,
  )

  const anchors = useMemo<Anchor[]>(() => anchorsOf(review?.comments ?? []), [review?.comments])

  const title = hearing ? `Gennemsyn: ${hearing.title}` : 'Gennemsyn af det fælles høringssvar'

  if (!review) {
    return (
      <section>
        <PageHeading title={title} />
        {denied ? (
          <div class="notice notice--info" role="alert">
            <p>Det fælles høringssvar er ikke delt med dig, eller du har ikke adgang til det.</p>
            <p class="muted">{(error as ApiError).message}</p>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        {!error && <Loading what="gennemsynet" />}
        <p>
          <Link href={`/hoeringer/${id}`}>Tilbage til høringen</Link>
        </p>
      </section>
    )
  }

  const r = review
  const cur = r.current
  /** The live text differs from the current shared version (edited since it was shared). */
  const textChanged = r.live_differs && r.state !== 'frozen'
  const seenCurrent = !!cur && (r.seen_version_id === cur.id || seen === cur.id)
  // The member last saw an older version than the previous shared one: what changed since then
  // is more than the current version's own changes, so it is shown in full.
  const previousShared = r.versions.length > 1 ? r.versions[r.versions.length - 2] : null
  const skipped = r.since === 'last_seen' && r.base !== null && r.base.id !== previousShared?.id
  const act = (msg: string) => {
    reload(msg)
  }

  return (
    <article class="review">
      <PageHeading title={title} />
      <p class="breadcrumb">
        Høring: <Link href={`/hoeringer/${id}`}>{hearing?.title ?? `nr. ${id}`}</Link>
      </p>
      <dl class="facts">
        <div>
          <dt>Tilstand</dt>
          <dd data-testid="review-state">{hearingStateLabel[r.state] ?? r.state}</dd>
        </div>
        <div>
          <dt>Delt version</dt>
          <dd data-testid="current-version">{cur ? cur.name : 'Ingen endnu'}</dd>
        </div>
        {cur && (
          <div>
            <dt>Delt</dt>
            <dd>
              {formatDateTime(cur.created_at)}
              {cur.created_by ? ` af ${cur.created_by.name}` : ''}
            </dd>
          </div>
        )}
      </dl>
      <p class="muted small" data-testid="live-state" data-state={live}>
        {liveStateText(live)}
      </p>
      <p role="status" class="notice notice--success visually-hidden-empty" data-testid="review-message">
        {message}
      </p>
      <ErrorMessage error={error} prefix="Gennemsynet kunne ikke opdateres:" />
      {r.state === 'frozen' && (
        <div class="notice notice--info">
          Høringssvaret er gjort endeligt.{' '}
          <Link href={`/hoeringer/${id}`}>Se den endelige post fra høringens side</Link>.
        </div>
      )}

      {!cur ? (
        <p data-testid="nothing-shared">
          Formandskabet har ikke delt et udkast med HMU endnu.
          {r.can.share && ' Når teksten er klar, deler I den herunder.'}
        </p>
      ) : (
        <>
          <section aria-labelledby="changed-heading">
            <h2 id="changed-heading">Hvad er ændret</h2>
            <p data-testid="since">{sinceText(r)}</p>
            {r.diff && skipped ? (
              <DiffView diff={r.diff} label={`Ændringer til ${cur.name}`} />
            ) : (
              <p>
                {r.diff?.summary.text}{' '}
                <a href="#changes-heading">Ændringerne står herunder</a>, hvor du kan tage stilling til hver
                af dem.
              </p>
            )}
            <div class="actions">
              {seenCurrent ? (
                <p id="seen-note" class="muted" tabIndex={-1} data-testid="seen-note">
                  <span aria-hidden="true">✓ </span>Du har markeret {cur.name} som set. Næste gang vises, hvad
                  der er ændret siden.
                </p>
              ) : (
                <button
                  type="button"
                  class="button"
                  onClick={async () => {
                    try {
                      await roundApi.markSeen(id, cur.id)
                      setSeen(cur.id)
                      // The button gives way to the note: focus goes there, not to the page's start.
                      focusById('seen-note')
                      reload(`${cur.name} er markeret som set. Næste gang vises, hvad der er ændret siden.`)
                    } catch (e) {
                      setError(e)
                    }
                  }}
                >
                  Markér {cur.name} som set
                </button>
              )}
            </div>
          </section>

          <section aria-labelledby="changes-heading">
            <h2 id="changes-heading">Ændringer i {cur.name}: tag stilling</h2>
            <p class="muted">
              {r.versions.length > 1
                ? `Hver ændring i forhold til ${r.versions[r.versions.length - 2].name}.`
                : 'Hvert afsnit i den første delte version.'}{' '}
              {r.can.position ? 'Sig, om du er enig eller uenig, gerne med en bemærkning.' : ''}
            </p>
            <ChangeList
              hearingId={id}
              versionId={cur.id}
              changes={r.changes}
              diff={r.changes_diff}
              canPosition={r.can.position}
              onRecorded={act}
            />
          </section>

          <section aria-labelledby="text-heading">
            <h2 id="text-heading">Teksten og kommentarer</h2>
            {textChanged && (
              <p class="notice notice--info" data-testid="text-changed">
                Formandskabet har ændret teksten, efter {cur.name} blev delt. Teksten herunder er den
                aktuelle.
              </p>
            )}
            <div class="review-text">
              <div class="review-text__main">
                <SharedText
                  documentId={r.joint_document_id}
                  label={`Det fælles høringssvar (skrivebeskyttet), ${cur.name}`}
                  anchors={anchors}
                  active={active}
                  onSelection={setSelection}
                  onFound={setFound}
                  handle={text}
                />
                {r.can.comment && (
                  <CommentForm
                    hearingId={id}
                    versionId={cur.id}
                    selection={selection}
                    onAdded={(c) => {
                      setActive(c.id)
                      act(`Kommentaren er tilføjet som K${r.comments.length + 1}.`)
                    }}
                  />
                )}
              </div>
              <CommentList
                hearingId={id}
                comments={r.comments}
                found={found}
                active={active}
                canResolve={r.can.resolve}
                onShow={(a) => {
                  setActive(a.id)
                  if (!text.current?.show(a)) setMessage(`Passagen til K${a.n} findes ikke længere i teksten.`)
                }}
                onResolved={(n) => act(`Kommentar K${n} er afsluttet.`)}
              />
            </div>
          </section>
        </>
      )}

      <ApprovalPanel review={r} userId={user.id} textChanged={textChanged} onChanged={act} />
    </article>
  )
}
