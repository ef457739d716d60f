import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { AgendaItem, ItemFields, MeetingFields } from '../../round-api'
import { ErrorMessage } from '../ErrorMessage'

/**
 * Focus the form's first field when it opens (it replaces the button that opened it). In the
 * same commit as the button's removal, not after the next paint: focus never falls to the page.
 */
function useFocusFirst() {
  const ref = useRef<HTMLFormElement>(null)
  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, select')?.focus()
  }, [])
  return ref
}

function value(e: Event): string {
  return (e.target as HTMLInputElement | HTMLTextAreaElement).value
}

/** Empty → null, for the optional times. */
function orNull(s: string): string | null {
  return s.trim() ? s.trim() : null
}

/** A meeting's date, times, place and the secretariat's initials. */
export function MeetingForm(props: {
  idPrefix: string
  initial?: Partial<MeetingFields>
  submitLabel: string
  onSubmit: (m: MeetingFields) => Promise<void>
  onCancel?: () => void
}) {
  const i = props.initial ?? {}
  const [date, setDate] = useState(i.date ?? '')
  const [start, setStart] = useState(i.start_time ?? '')
  const [end, setEnd] = useState(i.end_time ?? '')
  const [place, setPlace] = useState(i.place ?? '')
  const [initials, setInitials] = useState(i.initials ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const id = (s: string) => `${props.idPrefix}-${s}`
  const ref = useFocusFirst()

  return (
    <form
      ref={ref}
      class="form meeting-form"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await props.onSubmit({
            date,
            start_time: orNull(start),
            end_time: orNull(end),
            place: place.trim(),
            initials: initials.trim(),
          })
        } catch (err) {
          setError(err)
        } finally {
          setBusy(false)
        }
      }}
    >
      <div class="form-row">
        <div class="field">
          <label for={id('date')}>Dato</label>
          <input id={id('date')} type="date" required value={date} onInput={(e) => setDate(value(e))} />
        </div>
        <div class="field">
          <label for={id('start')}>Starter kl.</label>
          <input id={id('start')} type="time" value={start} onInput={(e) => setStart(value(e))} />
        </div>
        <div class="field">
          <label for={id('end')}>Slutter kl.</label>
          <input id={id('end')} type="time" value={end} onInput={(e) => setEnd(value(e))} />
        </div>
      </div>
      <div class="field">
        <label for={id('place')}>Sted</label>
        <input id={id('place')} type="text" required value={place} onInput={(e) => setPlace(value(e))} />
      </div>
      <div class="field">
        <label for={id('initials')}>Sekretariatets initialer (valgfrit)</label>
        <input id={id('initials')} type="text" value={initials} onInput={(e) => setInitials(value(e))} />
      </div>
      <ErrorMessage error={error} prefix="Mødet blev ikke gemt:" />
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Gemmer…' : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="button" onClick={props.onCancel}>
            Annullér
          </button>
        )}
      </div>
    </form>
  )
}

/**
 * An agenda item in the seeds' structure: title and time slot, case number, the bullets under
 * "Det indstilles, at HMU", Sagsfremstilling and Beslutning.
 */
export function AgendaItemForm(props: {
  idPrefix: string
  committeeShort: string
  initial?: AgendaItem
  submitLabel: string
  onSubmit: (i: ItemFields) => Promise<void>
  onCancel?: () => void
}) {
  const i = props.initial
  const [title, setTitle] = useState(i?.title ?? '')
  const [start, setStart] = useState(i?.time_start ?? '')
  const [end, setEnd] = useState(i?.time_end ?? '')
  const [caseNumber, setCaseNumber] = useState(i?.case_number ?? '')
  const [recommendation, setRecommendation] = useState((i?.recommendation ?? []).join('\n'))
  const [presentation, setPresentation] = useState(i?.presentation ?? '')
  const [decision, setDecision] = useState(i?.decision ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const id = (s: string) => `${props.idPrefix}-${s}`
  const ref = useFocusFirst()

  return (
    <form
      ref={ref}
      class="form item-form"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await props.onSubmit({
            title: title.trim(),
            time_start: orNull(start),
            time_end: orNull(end),
            case_number: caseNumber.trim(),
            recommendation: recommendation
              .split('\n')
              .map((l) => l.replace(/^\s*[-•]\s*/, '').trim())
              .filter(Boolean),
            presentation,
            decision,
          })
        } catch (err) {
          setError(err)
        } finally {
          setBusy(false)
        }
      }}
    >
      <div class="field">
        <label for={id('title')}>Titel</label>
        <input id={id('title')} type="text" required value={title} onInput={(e) => setTitle(value(e))} />
      </div>
      <div class="form-row">
        <div class="field">
          <label for={id('start')}>Fra kl.</label>
          <input id={id('start')} type="time" value={start} onInput={(e) => setStart(value(e))} />
        </div>
        <div class="field">
          <label for={id('end')}>Til kl.</label>
          <input id={id('end')} type="time" value={end} onInput={(e) => setEnd(value(e))} />
        </div>
        <div class="field">
          <label for={id('case')}>Sagsnr.</label>
          <input id={id('case')} type="text" value={caseNumber} onInput={(e) => setCaseNumber(value(e))} />
        </div>
      </div>
      <div class="field">
        <label for={id('recommendation')}>Det indstilles, at {props.committeeShort} (ét punkt pr. linje)</label>
        <textarea
          id={id('recommendation')}
          rows={3}
          value={recommendation}
          onInput={(e) => setRecommendation(value(e))}
        />
      </div>
      <div class="field">
        <label for={id('presentation')}>Sagsfremstilling</label>
        <textarea
          id={id('presentation')}
          rows={6}
          value={presentation}
          aria-describedby={id('text-help')}
          onInput={(e) => setPresentation(value(e))}
        />
      </div>
      <div class="field">
        <label for={id('decision')}>Beslutning (skrives i referatet efter mødet)</label>
        <textarea
          id={id('decision')}
          rows={4}
          value={decision}
          aria-describedby={id('text-help')}
          onInput={(e) => setDecision(value(e))}
        />
      </div>
      <p id={id('text-help')} class="muted small">
        Adskil afsnit med en tom linje. Linjer, der begynder med “- ”, bliver til punkter.
      </p>
      <ErrorMessage error={error} prefix="Punktet blev ikke gemt:" />
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Gemmer…' : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="button" onClick={props.onCancel}>
            Annullér
          </button>
        )}
      </div>
    </form>
  )
}
