import { useEffect, useState } from 'preact/hooks'
import { ApiError } from '../../api'
import { type Meeting, type MeetingSummary, roundApi } from '../../round-api'
import { formatMeetingDate, formatTimeSlot } from '../../round-format'
import { ErrorMessage } from '../ErrorMessage'
import { IdSelect } from '../IdSelect'

/**
 * "Arkivér med referatet": the secretariat picks a meeting and one of its agenda items, and the
 * record is filed there with each LMU's submitted response under it, in one step.
 */
export function FileRecordForm(props: { recordId: number; onFiled: (message: string) => void }) {
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null)
  const [meetingId, setMeetingId] = useState<number | null>(null)
  const [meeting, setMeeting] = useState<Meeting | null>(null)
  const [itemId, setItemId] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    roundApi.meetings().then(setMeetings, setError)
  }, [])

  useEffect(() => {
    setMeeting(null)
    setItemId(null)
    if (meetingId === null) return
    roundApi.meeting(meetingId).then(setMeeting, setError)
  }, [meetingId])

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    const item = meeting?.items.find((i) => i.id === itemId)
    if (!meeting || !item) {
      setError(new ApiError(400, 'Vælg først et møde og et punkt på dagsordenen.'))
      return
    }
    setBusy(true)
    try {
      await roundApi.fileRecord(props.recordId, item.id)
      props.onFiled(
        `Høringssvaret er arkiveret under punkt ${item.number} på mødet ${formatMeetingDate(meeting.date)}, med LMU’ernes høringssvar som bilag.`,
      )
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form file-record" onSubmit={submit} aria-labelledby="file-record-heading">
      <h3 id="file-record-heading">Arkivér med referatet</h3>
      <p class="muted">
        Høringssvaret lægges som bilag til et punkt på et møde, og hvert LMU’s indsendte høringssvar
        lægges under det.
      </p>
      <IdSelect
        id="file-meeting"
        label="Møde"
        value={meetingId}
        onChange={setMeetingId}
        placeholder="Vælg møde…"
        items={meetings ?? []}
        option={(m) => `${formatMeetingDate(m.date)} – ${m.committee.name}${m.place ? ` (${m.place})` : ''}`}
      />
      <IdSelect
        id="file-item"
        label="Punkt på dagsordenen"
        value={itemId}
        onChange={setItemId}
        disabled={!meeting}
        placeholder={meeting ? 'Vælg punkt…' : 'Vælg først et møde'}
        items={meeting?.items ?? []}
        option={(i) => `${i.number}. ${i.title} ${formatTimeSlot(i.time_start, i.time_end)}`}
      />
      <ErrorMessage error={error} prefix="Høringssvaret blev ikke arkiveret:" />
      <button type="submit" class="button button--primary" disabled={busy}>
        {busy ? 'Arkiverer…' : 'Arkivér'}
      </button>
    </form>
  )
}
