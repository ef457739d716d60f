import { useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { focusById } from '../components/focusById'
import { MeetingForm } from '../components/meetings/forms'
import { PageHeading } from '../components/PageHeading'
import { navigate } from '../router'
import { type MeetingSummary, roundApi } from '../round-api'
import { formatClock, formatMeetingDate } from '../round-format'
import { useUser } from '../session'

/** The meetings of the user's committees (`/moeder`); the secretariat creates them here. */
export function MeetingsPage() {
  const user = useUser()
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [creating, setCreating] = useState(false)

  useEffect(() => {
    roundApi.meetings().then(setMeetings, setError)
  }, [])

  return (
    <section>
      <PageHeading title="Møder" />
      <p class="muted">Møder i de MED-udvalg, du er med i, med dagsorden, referat og bilag.</p>
      <ErrorMessage error={error} />
      {!meetings && !error && <Loading what="møderne" />}
      {meetings && meetings.length === 0 && <p>Der er ingen møder endnu.</p>}
      {meetings && meetings.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="meetings">
            <caption class="visually-hidden">Møder, nyeste først</caption>
            <thead>
              <tr>
                <th scope="col">Møde</th>
                <th scope="col">Udvalg</th>
                <th scope="col">Tid</th>
                <th scope="col">Sted</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {meetings.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link href={`/moeder/${m.id}`}>{formatMeetingDate(m.date)}</Link>
                  </th>
                  <td>{m.committee.name}</td>
                  <td>
                    {m.start_time
                      ? `kl. ${formatClock(m.start_time)}${m.end_time ? `-${formatClock(m.end_time)}` : ''}`
                      : '–'}
                  </td>
                  <td>{m.place}</td>
                  <td>
                    <span class={`status ${m.minutes ? 'status--submitted' : 'status--in_progress'}`}>
                      <span aria-hidden="true">{m.minutes ? '● ' : '◐ '}</span>
                      {m.minutes ? 'Referat' : 'Dagsorden'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {user.secretariat && (
        <section aria-labelledby="new-meeting-heading">
          <h2 id="new-meeting-heading">Nyt møde</h2>
          {creating ? (
            <MeetingForm
              idPrefix="new-meeting"
              submitLabel="Opret møde"
              onCancel={() => {
                setCreating(false)
                focusById('create-meeting')
              }}
              onSubmit={async (m) => {
                const created = await roundApi.createMeeting(m)
                navigate(`/moeder/${created.id}`)
              }}
            />
          ) : (
            <button id="create-meeting" type="button" class="button" onClick={() => setCreating(true)}>
              Opret møde
            </button>
          )}
        </section>
      )}
    </section>
  )
}
