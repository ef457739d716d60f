import { useCallback, useEffect, useState } from 'preact/hooks'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { AgendaItemView } from '../components/meetings/AgendaItemView'
import { focusById } from '../components/focusById'
import { FileRecordHere } from '../components/meetings/FileRecordHere'
import { AgendaItemForm, MeetingForm } from '../components/meetings/forms'
import { PageHeading } from '../components/PageHeading'
import { type Meeting, roundApi } from '../round-api'
import { formatClock, formatMeetingDate, formatTimeSlot } from '../round-format'

/**
 * A meeting (`/moeder/{id}`): its agenda in the seeds' structure, the agenda and minutes as HTML
 * and PDF, the items' attachments; for the secretariat, editing the meeting and its items,
 * filing a frozen record with an item, and marking the minutes written.
 */
export function MeetingPage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const [meeting, setMeeting] = useState<Meeting | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [message, setMessage] = useState('')
  const [editing, setEditing] = useState(false)
  const [adding, setAdding] = useState(false)
  const [busy, setBusy] = useState(false)

  const reload = useCallback(
    () =>
      roundApi.meeting(id).then(
        (m) => {
          setMeeting(m)
          setError(null)
        },
        setError,
      ),
    [id],
  )

  useEffect(() => {
    reload()
  }, [reload])

  // A link to an item ("#punkt-2", from a record) scrolls to it once the agenda is there.
  const loaded = meeting !== null
  useEffect(() => {
    if (!loaded || !location.hash) return
    const el = document.getElementById(decodeURIComponent(location.hash.slice(1)))
    el?.scrollIntoView()
  }, [loaded])

  if (!meeting) {
    return (
      <section>
        <PageHeading title="Møde" />
        <ErrorMessage error={error} />
        {!error && <Loading what="mødet" />}
        <p>
          <Link href="/moeder">Tilbage til møderne</Link>
        </p>
      </section>
    )
  }

  const m = meeting
  const kind = m.minutes ? 'Referat' : 'Dagsorden'
  const short = m.committee.short_name
  const fields = {
    date: m.date,
    start_time: m.start_time,
    end_time: m.end_time,
    place: m.place,
    initials: m.initials,
  }
  const done = (msg: string) => {
    setMessage(msg)
    reload()
  }
  const setMinutes = async (minutes: boolean) => {
    setBusy(true)
    setError(null)
    try {
      await roundApi.updateMeeting(m.id, { ...fields, minutes })
      done(minutes ? 'Referatet er markeret som skrevet.' : 'Mødet er igen en dagsorden; referatet er ikke skrevet.')
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <article class="meeting">
      <PageHeading title={`${kind}: møde i ${m.committee.name} ${formatMeetingDate(m.date)}`} />
      <p class="breadcrumb">
        <Link href="/moeder">Alle møder</Link>
      </p>
      <dl class="facts">
        <div>
          <dt>Dato</dt>
          <dd>
            {formatMeetingDate(m.date)}
            {m.start_time ? ` kl. ${formatClock(m.start_time)}` : ''}
            {m.end_time ? `-${formatClock(m.end_time)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Sted</dt>
          <dd>{m.place}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="meeting-status">
            {m.minutes ? 'Referatet er skrevet' : 'Dagsorden (referatet er ikke skrevet endnu)'}
          </dd>
        </div>
      </dl>
      <p role="status" class="notice notice--success visually-hidden-empty" data-testid="meeting-message">
        {message}
      </p>
      <ErrorMessage error={error} />

      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading">Dagsorden og referat</h2>
        <ul class="plain downloads" data-testid="meeting-documents">
          <li>
            Dagsorden: <a href={roundApi.meetingDocumentUrl(m.id, 'agenda', 'html')}>HTML</a>
            {' · '}
            <a href={roundApi.meetingDocumentUrl(m.id, 'agenda', 'pdf')} download="">
              PDF<span class="visually-hidden"> (dagsorden)</span>
            </a>
          </li>
          {(m.minutes || m.can_edit) && (
            <li>
              {m.minutes ? 'Referat' : 'Referat (udkast, ikke markeret som skrevet)'}:{' '}
              <a href={roundApi.meetingDocumentUrl(m.id, 'minutes', 'html')}>
                HTML<span class="visually-hidden"> (referat)</span>
              </a>
              {' · '}
              <a href={roundApi.meetingDocumentUrl(m.id, 'minutes', 'pdf')} download="">
                PDF<span class="visually-hidden"> (referat)</span>
              </a>
            </li>
          )}
        </ul>
        {m.can_edit && (
          <div class="actions">
            <button type="button" class="button" disabled={busy} onClick={() => setMinutes(!m.minutes)}>
              {m.minutes ? 'Markér referatet som ikke skrevet' : 'Markér referatet som skrevet'}
            </button>
            {!editing && (
              <button id="edit-meeting" type="button" class="button" onClick={() => setEditing(true)}>
                Redigér mødet
              </button>
            )}
          </div>
        )}
        {editing && (
          <MeetingForm
            idPrefix={`meeting-${m.id}`}
            initial={fields}
            submitLabel="Gem mødet"
            onCancel={() => {
              setEditing(false)
              focusById('edit-meeting')
            }}
            onSubmit={async (f) => {
              await roundApi.updateMeeting(m.id, { ...f, minutes: m.minutes })
              setEditing(false)
              done('Mødet er gemt.')
              focusById('edit-meeting')
            }}
          />
        )}
      </section>

      <nav aria-labelledby="toc-heading" class="toc">
        <h2 id="toc-heading">Indholdsfortegnelse</h2>
        {m.items.length === 0 ? (
          <p class="muted">Der er ingen punkter på dagsordenen endnu.</p>
        ) : (
          <ol class="plain">
            {m.items.map((i) => (
              <li key={i.id}>
                <a href={`#punkt-${i.number}`}>
                  {i.number}. {i.title} {formatTimeSlot(i.time_start, i.time_end)}
                </a>
              </li>
            ))}
          </ol>
        )}
      </nav>

      <div class="agenda" data-testid="agenda">
        {m.items.map((i) => (
          <AgendaItemView
            key={i.id}
            item={i}
            committeeShort={short}
            minutes={m.minutes}
            canEdit={m.can_edit}
            onSaved={done}
          />
        ))}
      </div>

      {m.can_edit && (
        <FileRecordHere
          meeting={m}
          onFiled={(msg, n) => {
            setMessage(msg)
            // The record is now among the item's attachments: focus goes to the item.
            reload().then(() => focusById(`punkt-${n}-titel`))
          }}
        />
      )}

      {m.can_edit && (
        <section aria-labelledby="new-item-heading">
          <h2 id="new-item-heading">Nyt punkt på dagsordenen</h2>
          {adding ? (
            <AgendaItemForm
              idPrefix="new-item"
              committeeShort={short}
              submitLabel="Tilføj punkt"
              onCancel={() => {
                setAdding(false)
                focusById('add-item')
              }}
              onSubmit={async (f) => {
                const item = await roundApi.addItem(m.id, f)
                setAdding(false)
                done(`Punkt ${item.number} er tilføjet.`)
                focusById(`punkt-${item.number}-titel`)
              }}
            />
          ) : (
            <button id="add-item" type="button" class="button" onClick={() => setAdding(true)}>
              Tilføj punkt
            </button>
          )}
        </section>
      )}
    </article>
  )
}
