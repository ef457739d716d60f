import { useEffect, useState } from 'preact/hooks'
import { ApiError } from '../../api'
import { formatDateTime } from '../../format'
import { type Meeting, type RecordSummary, roundApi } from '../../round-api'
import { formatTimeSlot } from '../../round-format'
import { ErrorMessage } from '../ErrorMessage'
import { Loading } from '../Loading'
import { IdSelect } from '../IdSelect'

/**
 * On a meeting's page, for the secretariat: file a frozen record that is not filed yet with
 * one of this meeting's agenda items (the record page's "Arkivér med referatet", the other way
 * round). Each LMU's submitted response goes under it, as the server does.
 */
export function FileRecordHere(props: {
  meeting: Meeting
  onFiled: (message: string, itemNumber: number) => void
}) {
  const m = props.meeting
  const [records, setRecords] = useState<RecordSummary[] | null>(null)
  const [recordId, setRecordId] = useState<number | null>(null)
  const [itemId, setItemId] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = () =>
    roundApi.records().then(
      (all) => setRecords(all.filter((r) => !r.filed)),
      (e) => {
        setRecords([])
        setError(e)
      },
    )
  useEffect(() => {
    void load()
  }, [])

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    const record = records?.find((r) => r.id === recordId)
    const item = m.items.find((i) => i.id === itemId)
    if (!record || !item) {
      setError(new ApiError(400, 'Vælg både et høringssvar og et punkt på dagsordenen.'))
      return
    }
    setBusy(true)
    try {
      await roundApi.fileRecord(record.id, item.id)
      setRecordId(null)
      setItemId(null)
      await load()
      props.onFiled(
        `“${record.title}” er arkiveret som bilag til punkt ${item.number}, med LMU’ernes høringssvar under det.`,
        item.number,
      )
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="file-here-heading" data-testid="file-here">
      <h2 id="file-here-heading" tabIndex={-1}>
        Arkivér et endeligt høringssvar
      </h2>
      <p class="muted">
        Et endeligt høringssvar lægges som bilag til et punkt på dagsordenen, og hvert LMU’s indsendte
        høringssvar lægges under det.
      </p>
      {records === null ? (
        <Loading what="de endelige høringssvar" />
      ) : records.length === 0 ? (
        <>
          <ErrorMessage error={error} />
          <p data-testid="nothing-to-file">Der er ingen endelige høringssvar, som venter på at blive arkiveret.</p>
        </>
      ) : m.items.length === 0 ? (
        <p>Tilføj først et punkt på dagsordenen; så kan et høringssvar arkiveres under det.</p>
      ) : (
        <form class="form file-record" onSubmit={submit}>
          <IdSelect
            id="file-here-record"
            label="Endeligt høringssvar, der ikke er arkiveret"
            value={recordId}
            onChange={setRecordId}
            placeholder="Vælg høringssvar…"
            items={records}
            option={(r) => `${r.title} (gjort endeligt ${formatDateTime(r.frozen_at)})`}
          />
          <IdSelect
            id="file-here-item"
            label="Punkt på dagsordenen"
            value={itemId}
            onChange={setItemId}
            placeholder="Vælg punkt…"
            items={m.items}
            option={(i) => `${i.number}. ${i.title} ${formatTimeSlot(i.time_start, i.time_end)}`}
          />
          <ErrorMessage error={error} prefix="Høringssvaret blev ikke arkiveret:" />
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? 'Arkiverer…' : 'Arkivér som bilag'}
          </button>
        </form>
      )}
    </section>
  )
}
