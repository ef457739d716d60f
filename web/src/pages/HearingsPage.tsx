import { useEffect, useState } from 'preact/hooks'
import { api, type HearingSummary } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { StatusBadge } from '../components/StatusBadge'
import { formatDateTime, hearingStateLabel } from '../format'
import { useUser } from '../session'

export function HearingsPage() {
  const user = useUser()
  const [hearings, setHearings] = useState<HearingSummary[] | null>(null)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    api.hearings().then(setHearings, setError)
  }, [])

  return (
    <section>
      <PageHeading title="Mine høringer" />
      {user.secretariat && (
        <p>
          <Link href="/hoeringer/ny" class="button">
            Opret ny høring
          </Link>
        </p>
      )}
      <ErrorMessage error={error} />
      {!hearings && !error && <Loading what="høringer" />}
      {hearings && hearings.length === 0 && <p>Du har ingen høringer endnu.</p>}
      {hearings && hearings.length > 0 && (
        <ul class="card-list">
          {hearings.map((h) => (
            <li class="card" key={h.id}>
              <h2>
                <Link href={`/hoeringer/${h.id}`}>{h.title}</Link>
              </h2>
              <dl class="facts">
                <div>
                  <dt>Afsender</dt>
                  <dd>{h.issuing_body}</dd>
                </div>
                <div>
                  <dt>Tilstand</dt>
                  <dd data-testid="hearing-state">{hearingStateLabel[h.state] ?? h.state}</dd>
                </div>
                <div>
                  <dt>Frist for LMU</dt>
                  <dd>{formatDateTime(h.lmu_deadline)}</dd>
                </div>
                <div>
                  <dt>Frist for HMU</dt>
                  <dd>{formatDateTime(h.hmu_deadline)}</dd>
                </div>
              </dl>
              {h.my_responses.length > 0 && (
                <>
                  <h3>Mit LMU’s høringssvar</h3>
                  <ul class="plain">
                    {h.my_responses.map((r) => (
                      <li key={r.id}>
                        <Link href={`/svar/${r.id}`}>
                          Høringssvar fra {r.committee.name}
                        </Link>{' '}
                        – <StatusBadge status={r.status} />
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
