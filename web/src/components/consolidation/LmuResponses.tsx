import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { BlockAlignment, Section, Workspace, WorkspaceResponse } from '../../consolidation-api'
import { provenanceKey } from '../../editor/provenance'
import { formatDateTime } from '../../format'
import { blockDomId, blockLabel, InlineText, percent, slug } from './common'

/** From this similarity a block is shown under a section of the draft (below it the server's
 *  measure mostly finds shared common words). */
const MIN_SECTION = 0.2
/** From this similarity a block is said to resemble a paragraph of the draft (the report's
 *  default threshold for a point being reflected). */
const MIN_BLOCK = 0.5

function sectionTitle(s: Section): string {
  return s.title.trim() || 'Teksten før første overskrift'
}

function alignmentText(a: BlockAlignment | undefined, sections: Section[]): string {
  if (!a) return ''
  const parts: string[] = []
  if (a.section !== undefined && a.section_similarity >= MIN_SECTION && sections[a.section]) {
    parts.push(`Hører til “${sectionTitle(sections[a.section])}” i udkastet (${percent(a.section_similarity)} ens)`)
  }
  if (a.joint_block !== undefined && a.block_similarity >= MIN_BLOCK) {
    parts.push(`ligner udkastets afsnit ${a.joint_block + 1} (${percent(a.block_similarity)})`)
  }
  if (parts.length === 0) return 'Intet tydeligt sted i udkastet endnu'
  const s = parts.join('; ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export interface InsertRequest {
  response: WorkspaceResponse
  block: number
}

function LmuBlock(props: {
  response: WorkspaceResponse
  index: number
  sections: Section[]
  taken: boolean
  canInsert: boolean
  showCommittee: boolean
  onInsert: (r: InsertRequest) => void
}) {
  const { response: r, index: i } = props
  const block = r.blocks.blocks[i]
  const a = r.alignment?.blocks.find((x) => x.block === i)
  const short = r.committee.short_name
  const empty = block.inlines.every((x) => !x.text.trim())
  return (
    <li
      class={`lmu-block lmu-block--${block.type}${props.taken ? ' is-taken' : ''}`}
      id={blockDomId(short, i)}
      tabIndex={-1}
      data-committee={short}
      data-block={i}
      data-taken={props.taken ? 'true' : 'false'}
    >
      <p class="lmu-block__meta">
        {props.showCommittee && <strong>{short} · </strong>}
        {blockLabel(block, i)}
        {props.taken && (
          <span class="lmu-block__taken">
            {' · '}
            <span aria-hidden="true">✓ </span>Indsat i udkastet
          </span>
        )}
      </p>
      <p class="lmu-block__text">
        <InlineText inlines={block.inlines} />
      </p>
      <p class="lmu-block__align muted">{alignmentText(a, props.sections)}</p>
      {props.canInsert && !empty && (
        <button
          type="button"
          class="button button--small lmu-block__insert"
          aria-label={`Indsæt i udkastet: ${short}, afsnit ${i + 1}`}
          onClick={() => props.onInsert({ response: r, block: i })}
        >
          Indsæt i udkastet
        </button>
      )}
    </li>
  )
}

/**
 * Every submitted LMU response, to work through: per LMU (tabs, with how many of its blocks
 * are in the draft), or grouped by the draft's sections they align with. Each block says where
 * it belongs in the draft and how similar it is, and can be taken into the draft.
 */
export function LmuResponses(props: {
  workspace: Workspace
  taken: Set<string>
  canInsert: boolean
  onInsert: (r: InsertRequest) => void
  /** Open at this LMU (short name) and block, from a link. */
  focus?: { committee: string; block?: number }
}) {
  const ws = props.workspace
  const responses = ws.responses
  const [view, setView] = useState<'lmu' | 'section'>('lmu')
  const initial = responses.find((r) => r.committee.short_name === props.focus?.committee) ?? responses[0]
  const [selected, setSelected] = useState<string | undefined>(initial?.committee.short_name)
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({})
  const focused = useRef(false)

  // A link to one block: show it and move focus to it, once.
  useLayoutEffect(() => {
    if (focused.current || !props.focus || props.focus.block === undefined) return
    const el = document.getElementById(blockDomId(props.focus.committee, props.focus.block))
    if (el) {
      focused.current = true
      el.scrollIntoView({ block: 'center' })
      el.focus({ preventScroll: true })
    }
  })

  useEffect(() => {
    if (!responses.some((r) => r.committee.short_name === selected)) setSelected(responses[0]?.committee.short_name)
  }, [responses, selected])

  const takenIn = (r: WorkspaceResponse, i: number) =>
    props.taken.has(provenanceKey({ committee: r.committee.short_name, version: r.version_id, block: i }))

  const onTabKey = (e: KeyboardEvent, index: number) => {
    let next = -1
    if (e.key === 'ArrowRight') next = (index + 1) % responses.length
    else if (e.key === 'ArrowLeft') next = (index - 1 + responses.length) % responses.length
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = responses.length - 1
    if (next < 0) return
    e.preventDefault()
    const short = responses[next].committee.short_name
    setSelected(short)
    tabRefs.current[short]?.focus()
  }

  if (responses.length === 0) {
    return <p class="notice notice--info">Ingen LMU’er har indsendt høringssvar endnu.</p>
  }

  const current = responses.find((r) => r.committee.short_name === selected) ?? responses[0]

  return (
    <div class="lmu-responses">
      <fieldset class="segmented">
        <legend>Vis svarene</legend>
        <label>
          <input type="radio" name="lmu-view" checked={view === 'lmu'} onChange={() => setView('lmu')} /> Pr. LMU
        </label>
        <label>
          <input type="radio" name="lmu-view" checked={view === 'section'} onChange={() => setView('section')} /> Efter
          udkastets afsnit
        </label>
      </fieldset>

      {view === 'lmu' ? (
        <>
          <div class="tabs" role="tablist" aria-label="LMU’ernes høringssvar">
            {responses.map((r, index) => {
              const short = r.committee.short_name
              const n = r.blocks.blocks.filter((_, i) => takenIn(r, i)).length
              const on = short === current.committee.short_name
              return (
                <button
                  key={short}
                  ref={(el) => {
                    tabRefs.current[short] = el
                  }}
                  type="button"
                  role="tab"
                  id={`tab-${slug(short)}`}
                  aria-selected={on}
                  aria-controls={`panel-${slug(short)}`}
                  tabIndex={on ? 0 : -1}
                  class={`tab${on ? ' is-selected' : ''}`}
                  onClick={() => setSelected(short)}
                  onKeyDown={(e) => onTabKey(e, index)}
                  title={r.committee.name}
                >
                  {short}
                  <span class="tab__count">{n > 0 ? `${n} indsat` : 'intet indsat'}</span>
                </button>
              )
            })}
          </div>
          <div
            class="tabpanel"
            role="tabpanel"
            id={`panel-${slug(current.committee.short_name)}`}
            aria-labelledby={`tab-${slug(current.committee.short_name)}`}
            data-testid="lmu-panel"
          >
            <h3>{current.committee.name}</h3>
            <p class="muted">
              Indsendt {formatDateTime(current.submitted_at)}
              {current.late ? ' (for sent)' : ''} · {current.blocks.blocks.length} afsnit
            </p>
            <ol class="lmu-blocks">
              {current.blocks.blocks.map((_, i) => (
                <LmuBlock
                  key={`${current.response_id}-${i}`}
                  response={current}
                  index={i}
                  sections={ws.sections}
                  taken={takenIn(current, i)}
                  canInsert={props.canInsert}
                  showCommittee={false}
                  onInsert={props.onInsert}
                />
              ))}
            </ol>
          </div>
        </>
      ) : (
        <BySection workspace={ws} takenIn={takenIn} canInsert={props.canInsert} onInsert={props.onInsert} />
      )}
    </div>
  )
}

/** Every LMU block under the section of the draft it aligns with best; the rest after. */
function BySection(props: {
  workspace: Workspace
  takenIn: (r: WorkspaceResponse, i: number) => boolean
  canInsert: boolean
  onInsert: (r: InsertRequest) => void
}) {
  const ws = props.workspace
  const groups: { r: WorkspaceResponse; i: number; sim: number }[][] = ws.sections.map(() => [])
  const rest: { r: WorkspaceResponse; i: number; sim: number }[] = []
  for (const r of ws.responses) {
    r.blocks.blocks.forEach((b, i) => {
      if (b.inlines.every((x) => !x.text.trim())) return
      const a = r.alignment?.blocks.find((x) => x.block === i)
      if (a && a.section !== undefined && a.section_similarity >= MIN_SECTION && groups[a.section]) {
        groups[a.section].push({ r, i, sim: a.section_similarity })
      } else rest.push({ r, i, sim: 0 })
    })
  }
  for (const g of groups) g.sort((x, y) => y.sim - x.sim)
  const item = (x: { r: WorkspaceResponse; i: number }) => (
    <LmuBlock
      key={`${x.r.response_id}-${x.i}`}
      response={x.r}
      index={x.i}
      sections={ws.sections}
      taken={props.takenIn(x.r, x.i)}
      canInsert={props.canInsert}
      showCommittee
      onInsert={props.onInsert}
    />
  )
  return (
    <div data-testid="by-section">
      {ws.sections.length === 0 && (
        <p class="notice notice--info">
          Udkastet har endnu ingen afsnit at sortere efter. Indsæt tekst i udkastet, eller vis svarene pr. LMU.
        </p>
      )}
      {ws.sections.map((s, k) => (
        <section key={k} aria-labelledby={`section-${k}`} class="by-section">
          <h3 id={`section-${k}`}>
            {sectionTitle(s)} <span class="muted">({groups[k].length} LMU-afsnit)</span>
          </h3>
          {groups[k].length === 0 ? (
            <p class="muted">Ingen LMU-afsnit ligner dette afsnit af udkastet.</p>
          ) : (
            <ol class="lmu-blocks">{groups[k].map(item)}</ol>
          )}
        </section>
      ))}
      {rest.length > 0 && (
        <details class="by-section">
          <summary>Uden tydeligt sted i udkastet ({rest.length} LMU-afsnit)</summary>
          <ol class="lmu-blocks">{rest.map(item)}</ol>
        </details>
      )}
    </div>
  )
}
