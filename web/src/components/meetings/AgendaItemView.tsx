import { useState } from 'preact/hooks'
import { type AgendaItem, type Attachment, type ItemFields, roundApi } from '../../round-api'
import { formatTimeSlot } from '../../round-format'
import { Link } from '../Link'
import { focusById } from '../focusById'
import { AgendaItemForm } from './forms'

/** Text as the server keeps it: paragraphs split by blank lines, "- " lines as bullets. */
export function TextBlocks(props: { text: string }) {
  const blocks = props.text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean)
  return (
    <>
      {blocks.map((b, i) => {
        const lines = b.split('\n')
        if (lines.every((l) => /^\s*[-•]\s+/.test(l)))
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{l.replace(/^\s*[-•]\s+/, '')}</li>
              ))}
            </ul>
          )
        return (
          <p key={i} class="prewrap">
            {b}
          </p>
        )
      })}
    </>
  )
}

/** The attachments of an item, with sub-attachments (the LMU responses under the record). */
export function AttachmentTree(props: { attachments: Attachment[] }) {
  return (
    <ul class="attachments">
      {props.attachments.map((a) => (
        <li key={a.id} data-kind={a.kind}>
          <span class="attachment__title">{a.title}</span>
          {a.kind !== 'file' && (
            <span class="attachment__links">
              {' – '}
              {a.kind === 'record' && a.record_id !== null && (
                <>
                  <Link href={`/poster/${a.record_id}`}>
                    Åbn<span class="visually-hidden"> {a.title}</span>
                  </Link>
                  {' · '}
                </>
              )}
              <a href={roundApi.attachmentUrl(a.id, 'pdf')} download="">
                PDF<span class="visually-hidden"> af {a.title}</span>
              </a>
              {' · '}
              <a href={roundApi.attachmentUrl(a.id, 'docx')} download="">
                Word<span class="visually-hidden"> af {a.title}</span>
              </a>
            </span>
          )}
          {a.children.length > 0 && <AttachmentTree attachments={a.children} />}
        </li>
      ))}
    </ul>
  )
}

/**
 * One agenda item in the seeds' layout: case number, number and title with time slot,
 * "Det indstilles, at …", Sagsfremstilling, Beslutning and Bilag; for the secretariat, editing.
 */
export function AgendaItemView(props: {
  item: AgendaItem
  committeeShort: string
  minutes: boolean
  canEdit: boolean
  onSaved: (message: string) => void
}) {
  const i = props.item
  const [editing, setEditing] = useState(false)
  const headingId = `punkt-${i.number}-titel`
  const slot = formatTimeSlot(i.time_start, i.time_end)

  return (
    <section id={`punkt-${i.number}`} class="agenda-item" aria-labelledby={headingId} data-item={i.id}>
      {i.case_number && <p class="agenda-item__case">Sagsnr. {i.case_number}</p>}
      <h2 id={headingId} tabIndex={-1}>
        {i.number}. {i.title}
        {slot && <span class="agenda-item__slot"> {slot}</span>}
      </h2>
      {editing ? (
        <AgendaItemForm
          idPrefix={`item-${i.id}`}
          committeeShort={props.committeeShort}
          initial={i}
          submitLabel={`Gem punkt ${i.number}`}
          onCancel={() => {
            setEditing(false)
            focusById(headingId)
          }}
          onSubmit={async (fields: ItemFields) => {
            await roundApi.updateItem(i.id, fields)
            setEditing(false)
            props.onSaved(`Punkt ${i.number} er gemt.`)
            focusById(headingId)
          }}
        />
      ) : (
        <>
          {i.recommendation.length > 0 && (
            <>
              <h3>Det indstilles, at {props.committeeShort}</h3>
              <ul>
                {i.recommendation.map((r, j) => (
                  <li key={j}>{r}</li>
                ))}
              </ul>
            </>
          )}
          {i.presentation.trim() && (
            <>
              <h3>Sagsfremstilling</h3>
              <TextBlocks text={i.presentation} />
            </>
          )}
          {(i.decision.trim() || props.minutes) && (
            <>
              <h3>Beslutning</h3>
              {i.decision.trim() ? (
                <div data-testid="decision">
                  <TextBlocks text={i.decision} />
                </div>
              ) : (
                <p class="muted">Der er ikke ført en beslutning til referat.</p>
              )}
            </>
          )}
          {i.attachments.length > 0 && (
            <>
              <h3>Bilag</h3>
              <AttachmentTree attachments={i.attachments} />
            </>
          )}
          {props.canEdit && (
            <div class="actions">
              <button type="button" class="button button--small" onClick={() => setEditing(true)}>
                Redigér punkt {i.number}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  )
}
