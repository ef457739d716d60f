import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type Committee } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { copenhagenToUtc, utcToCopenhagen } from '../format'
import { navigate } from '../router'
import { useUser } from '../session'

const DAY = 24 * 60 * 60 * 1000

function DeadlineFields(props: {
  id: string
  legend: string
  date: string
  time: string
  onDate: (v: string) => void
  onTime: (v: string) => void
}) {
  return (
    <fieldset class="field-group">
      <legend>{props.legend}</legend>
      <div class="field field--inline">
        <label for={`${props.id}-date`}>Dato</label>
        <input id={`${props.id}-date`} type="date" required value={props.date} onInput={(e) => props.onDate(e.currentTarget.value)} />
      </div>
      <div class="field field--inline">
        <label for={`${props.id}-time`}>Klokkeslæt (dansk tid)</label>
        <input id={`${props.id}-time`} type="time" required value={props.time} onInput={(e) => props.onTime(e.currentTarget.value)} />
      </div>
    </fieldset>
  )
}

export function NewHearingPage() {
  const user = useUser()
  const [committees, setCommittees] = useState<Committee[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [mainId, setMainId] = useState<number | null>(null)
  const [title, setTitle] = useState('')
  const [issuingBody, setIssuingBody] = useState('')
  const [description, setDescription] = useState('')
  const lmuDefault = utcToCopenhagen(Date.now() + 14 * DAY)
  const hmuDefault = utcToCopenhagen(Date.now() + 21 * DAY)
  const [lmuDate, setLmuDate] = useState(lmuDefault.date)
  const [lmuTime, setLmuTime] = useState('12:00')
  const [hmuDate, setHmuDate] = useState(hmuDefault.date)
  const [hmuTime, setHmuTime] = useState('12:00')
  const [invited, setInvited] = useState<Set<number>>(new Set())
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    api.committees().then((cs) => {
      setCommittees(cs)
      const main = cs.find((c) => c.kind === 'main')
      if (main) {
        setMainId(main.id)
        setInvited(new Set(cs.filter((c) => c.parent_id === main.id).map((c) => c.id)))
      }
    }, setLoadError)
  }, [])

  if (!user.secretariat) {
    return (
      <section>
        <PageHeading title="Ny høring" />
        <p class="notice notice--error" role="alert">Kun sekretariatet kan oprette høringer.</p>
      </section>
    )
  }

  const mains = committees?.filter((c) => c.kind === 'main') ?? []
  const lmus = committees?.filter((c) => c.kind === 'local' && c.parent_id === mainId) ?? []

  const chooseMain = (id: number) => {
    setMainId(id)
    setInvited(new Set((committees ?? []).filter((c) => c.parent_id === id).map((c) => c.id)))
  }

  const toggle = (id: number, on: boolean) => {
    const next = new Set(invited)
    if (on) next.add(id)
    else next.delete(id)
    setInvited(next)
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    const lmuDeadline = copenhagenToUtc(lmuDate, lmuTime)
    const hmuDeadline = copenhagenToUtc(hmuDate, hmuTime)
    if (!lmuDeadline || !hmuDeadline) {
      setError(new ApiError(422, 'Angiv begge frister med dato og klokkeslæt.'))
      return
    }
    if (mainId === null) {
      setError(new ApiError(422, 'Vælg det udvalg, der holder høringen.'))
      return
    }
    if (invited.size === 0) {
      setError(new ApiError(422, 'Invitér mindst ét LMU.'))
      return
    }
    setBusy(true)
    try {
      const h = await api.createHearing({
        committee_id: mainId,
        title: title.trim(),
        issuing_body: issuingBody.trim(),
        description: description.trim(),
        lmu_deadline: lmuDeadline,
        hmu_deadline: hmuDeadline,
        invited: [...invited],
      })
      navigate(`/hoeringer/${h.id}`)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <section class="narrow">
      <PageHeading title="Ny høring" />
      <p>Opret høringen som kladde. Du kan tilføje høringsmateriale, før du sender den i høring.</p>
      <ErrorMessage error={loadError} />
      {!committees && !loadError && <Loading what="udvalg" />}
      {committees && (
        <form class="form" onSubmit={submit}>
          <ErrorMessage error={error} />
          {mains.length > 1 && (
            <div class="field">
              <label for="hearing-committee">Udvalg</label>
              <select id="hearing-committee" value={String(mainId)} onChange={(e) => chooseMain(Number(e.currentTarget.value))}>
                {mains.map((m) => (
                  <option key={m.id} value={String(m.id)}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="hearing-title">Titel</label>
            <input id="hearing-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="hearing-issuer">Afsender (hvem sender forslaget i høring)</label>
            <input id="hearing-issuer" required value={issuingBody} onInput={(e) => setIssuingBody(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="hearing-description">Beskrivelse</label>
            <textarea id="hearing-description" rows={6} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </div>
          <DeadlineFields id="lmu-deadline" legend="Frist for LMU’ernes høringssvar" date={lmuDate} time={lmuTime} onDate={setLmuDate} onTime={setLmuTime} />
          <DeadlineFields id="hmu-deadline" legend="Frist for HMU’s høringssvar" date={hmuDate} time={hmuTime} onDate={setHmuDate} onTime={setHmuTime} />
          <fieldset class="field-group">
            <legend>Inviterede LMU’er</legend>
            {lmus.length === 0 && <p>Der er ingen LMU’er under udvalget.</p>}
            <ul class="checkbox-list">
              {lmus.map((c) => (
                <li key={c.id}>
                  <input
                    type="checkbox"
                    id={`invite-${c.id}`}
                    checked={invited.has(c.id)}
                    onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                  />
                  <label for={`invite-${c.id}`}>
                    {c.name}
                    {c.short_name !== c.name && ` (${c.short_name})`}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? 'Opretter…' : 'Opret høring'}
          </button>
        </form>
      )}
    </section>
  )
}
