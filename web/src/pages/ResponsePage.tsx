import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError, type LmuResponse } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { StatusBadge } from '../components/StatusBadge'
import { ResponseEditor } from '../editor/ResponseEditor'
import { displayStatus, formatDateTime } from '../format'
import { useUser } from '../session'

function isSubmitted(r: LmuResponse) {
  return r.status === 'submitted' || r.status === 'submitted_late'
}

/** The LMU response editor, with submission for the LMU's chairs. */
export function ResponsePage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const user = useUser()
  const [response, setResponse] = useState<LmuResponse | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [confirm, setConfirm] = useState<'submit' | 'reopen' | null>(null)
  const [message, setMessage] = useState('')
  const statusRef = useRef<HTMLDivElement>(null)

  const reload = useCallback(
    () =>
      api.response(id).then(
        (r) => {
          setResponse(r)
          setError(null)
          return r
        },
        (e) => {
          setError(e)
          return null
        },
      ),
    [id],
  )

  useEffect(() => {
    setResponse(null)
    reload()
  }, [reload])

  // Follow the hearing's board, so a submission by another chair turns this page read-only.
  const hearingId = response?.hearing.id
  const committeeId = response?.committee.id
  const lastStatus = useRef<string | null>(null)
  lastStatus.current = response?.status ?? null
  useEffect(() => {
    if (hearingId === undefined) return
    const es = new EventSource(api.boardEventsUrl(hearingId), { withCredentials: true })
    es.addEventListener('board', (ev) => {
      try {
        const b = JSON.parse((ev as MessageEvent).data) as { rows: { committee: { id: number }; status: string }[] }
        const row = b.rows.find((r) => r.committee.id === committeeId)
        if (row && lastStatus.current && row.status !== lastStatus.current) reload()
      } catch {
        // ignored: the next event carries the whole board again
      }
    })
    return () => es.close()
  }, [hearingId, committeeId, reload])

  if (!response) {
    const noAccess = error instanceof ApiError && (error.status === 403 || error.status === 404)
    return (
      <section>
        <PageHeading title={noAccess ? 'Ingen adgang' : 'Høringssvar'} />
        {noAccess ? (
          <div class="notice notice--error" role="alert" data-testid="no-access">
            <p>
              Du har ingen adgang til dette høringssvar. Et LMU’s udkast kan kun læses af LMU’ets
              egne medlemmer, indtil det er indsendt.
            </p>
            <p class="muted">{(error as ApiError).message}</p>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        {!error && <Loading what="høringssvaret" />}
        <p>
          <Link href="/">Tilbage til Mine høringer</Link>
        </p>
      </section>
    )
  }

  const r = response
  const submitted = isSubmitted(r)
  const editable = r.access === 'rw' && !submitted
  const late = Date.now() > new Date(r.hearing.lmu_deadline).getTime()

  return (
    <article class="response">
      <PageHeading title={`Høringssvar fra ${r.committee.name}`} />
      <p class="breadcrumb">
        Høring: <Link href={`/hoeringer/${r.hearing.id}`}>{r.hearing.title}</Link>
      </p>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="response-status">
            <StatusBadge status={displayStatus(r.status, r.late)} />
          </dd>
        </div>
        <div>
          <dt>Frist for LMU’ernes høringssvar</dt>
          <dd>{formatDateTime(r.hearing.lmu_deadline)}</dd>
        </div>
        {r.submitted_at && (
          <div>
            <dt>Indsendt</dt>
            <dd>
              {formatDateTime(r.submitted_at)}
              {r.submitted_by ? ` af ${r.submitted_by.name}` : ''}
            </dd>
          </div>
        )}
      </dl>

      <div ref={statusRef} role="status" class="visually-hidden-empty">
        {message}
      </div>
      {!editable && (
        <div class="notice notice--info" data-testid="readonly-notice">
          <span aria-hidden="true">🔒 </span>
          {submitted
            ? 'Høringssvaret er indsendt og kan ikke længere redigeres af LMU’et.'
            : 'Du kan læse høringssvaret, men ikke redigere det.'}
        </div>
      )}

      {(r.can.submit && !submitted) || r.can.reopen ? (
        <div class="actions">
          {r.can.submit && !submitted && (
            <button type="button" class="button button--primary" onClick={() => setConfirm('submit')}>
              Indsend høringssvar
            </button>
          )}
          {r.can.reopen && (
            <button type="button" class="button" onClick={() => setConfirm('reopen')}>
              Genåbn høringssvaret
            </button>
          )}
        </div>
      ) : null}

      <ResponseEditor
        // A new connection whenever access changes (submitted, reopened): the server grants
        // read-write or read-only per connection.
        key={`${r.document_id}:${editable ? 'rw' : 'ro'}`}
        documentId={r.document_id}
        editable={editable}
        user={{ id: user.id, name: user.name }}
        label={`Høringssvar fra ${r.committee.name}`}
        onDenied={reload}
      />

      <ConfirmDialog
        open={confirm === 'submit'}
        title="Indsend høringssvaret?"
        confirmLabel="Indsend"
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await api.submitResponse(r.id)
          await reload()
          setMessage('Høringssvaret er indsendt. Det er nu skrivebeskyttet for LMU’et.')
        }}
      >
        <p>
          Høringssvaret sendes til HMU på vegne af {r.committee.name}. Herefter bliver det
          skrivebeskyttet for LMU’et, så ingen kan ændre teksten. Kun sekretariatet kan genåbne det
          før fristen.
        </p>
        {late && (
          <p>
            <strong>Fristen er overskredet.</strong> Svaret modtages, men markeres som indsendt for
            sent.
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'reopen'}
        title="Genåbn høringssvaret?"
        confirmLabel="Genåbn"
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await api.reopenResponse(r.id)
          await reload()
          setMessage('Høringssvaret er genåbnet. LMU’et kan redigere det igen.')
        }}
      >
        <p>{r.committee.name} kan igen redigere og indsende høringssvaret.</p>
      </ConfirmDialog>
    </article>
  )
}
