import { useCallback, useEffect, useState } from 'preact/hooks'
import { api, type Hearing } from '../api'
import { AuditLog } from '../components/AuditLog'
import { Board } from '../components/Board'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ConsolidationLinks } from '../components/consolidation/ConsolidationLinks'
import { ErrorMessage } from '../components/ErrorMessage'
import { HearingFiles } from '../components/HearingFiles'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { HearingRoundLinks } from '../components/review/HearingRoundLinks'
import { PageHeading } from '../components/PageHeading'
import { StatusBadge } from '../components/StatusBadge'
import { formatDateTime, hearingStateLabel } from '../format'

type Action = 'open' | 'close'

export function HearingPage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const [hearing, setHearing] = useState<Hearing | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [confirming, setConfirming] = useState<Action | null>(null)
  const [message, setMessage] = useState('')
  const [version, setVersion] = useState(0)

  const reload = useCallback(() => {
    api.hearing(id).then(
      (h) => {
        setHearing(h)
        setError(null)
        setVersion((v) => v + 1)
      },
      setError,
    )
  }, [id])

  useEffect(() => {
    setHearing(null)
    reload()
  }, [reload])

  if (!Number.isInteger(id)) return <ErrorMessage error={new Error('bad id')} />
  if (!hearing) {
    return (
      <section>
        <PageHeading title="Høring" />
        <ErrorMessage error={error} />
        {!error && <Loading what="høringen" />}
      </section>
    )
  }

  const h = hearing
  return (
    <article class="hearing">
      <PageHeading title={h.title} />
      <dl class="facts">
        <div>
          <dt>Afsender</dt>
          <dd>{h.issuing_body}</dd>
        </div>
        <div>
          <dt>Udvalg</dt>
          <dd>{h.committee.name}</dd>
        </div>
        <div>
          <dt>Tilstand</dt>
          <dd data-testid="hearing-state">{hearingStateLabel[h.state] ?? h.state}</dd>
        </div>
        <div>
          <dt>Frist for LMU’ernes høringssvar</dt>
          <dd>{formatDateTime(h.lmu_deadline)}</dd>
        </div>
        <div>
          <dt>Frist for HMU’s høringssvar</dt>
          <dd>{formatDateTime(h.hmu_deadline)}</dd>
        </div>
      </dl>
      <ErrorMessage error={error} />
      <p role="status" class="visually-hidden-empty">
        {message}
      </p>

      {(h.can.open || h.can.close) && (
        <div class="actions">
          {h.can.open && (
            <button type="button" class="button button--primary" onClick={() => setConfirming('open')}>
              Send i høring
            </button>
          )}
          {h.can.close && (
            <button type="button" class="button" onClick={() => setConfirming('close')}>
              Afslut indsamling
            </button>
          )}
        </div>
      )}

      <ConsolidationLinks hearing={h} />

      {h.my_responses.length > 0 && (
        <section aria-labelledby="mine-heading">
          <h2 id="mine-heading">Mit LMU’s høringssvar</h2>
          <ul class="plain">
            {h.my_responses.map((r) => (
              <li key={r.id}>
                <Link href={`/svar/${r.id}`}>Åbn høringssvaret fra {r.committee.name}</Link> –{' '}
                <StatusBadge status={r.status} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <HearingRoundLinks hearing={h} />

      <section aria-labelledby="description-heading">
        <h2 id="description-heading">Beskrivelse</h2>
        {h.description ? <p class="prewrap">{h.description}</p> : <p class="muted">Ingen beskrivelse.</p>}
      </section>

      <HearingFiles hearingId={h.id} files={h.files} canUpload={h.can.upload} onChanged={reload} />

      {h.state === 'draft' ? (
        <section aria-labelledby="invited-heading">
          <h2 id="invited-heading">Inviterede LMU’er</h2>
          <ul class="plain columns">
            {h.invited.map((c) => (
              <li key={c.id}>{c.name}</li>
            ))}
          </ul>
        </section>
      ) : (
        <Board hearingId={h.id} onStateChange={reload} />
      )}

      {h.can.audit && (
        <AuditLog hearingId={h.id} refreshKey={version} committees={h.invited} />
      )}

      <ConfirmDialog
        open={confirming === 'open'}
        title="Send høringen i høring?"
        confirmLabel="Send i høring"
        onClose={() => setConfirming(null)}
        onConfirm={async () => {
          await api.openHearing(h.id)
          setMessage('Høringen er sendt i høring. LMU’erne kan nu skrive deres høringssvar.')
          reload()
        }}
      >
        <p>
          Der oprettes et høringssvar for hvert af de {h.invited.length} inviterede LMU’er, og
          medlemmerne kan begynde at skrive. De inviterede LMU’er kan ikke ændres bagefter.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming === 'close'}
        title="Afslut indsamlingen?"
        confirmLabel="Afslut indsamling"
        onClose={() => setConfirming(null)}
        onConfirm={async () => {
          await api.closeHearing(h.id)
          setMessage('Indsamlingen er afsluttet. Formandskabet kan nu samle svarene.')
          reload()
        }}
      >
        <p>
          LMU’erne kan ikke længere indsende høringssvar, og høringen går videre til det fælles
          høringssvar.
        </p>
      </ConfirmDialog>
    </article>
  )
}
