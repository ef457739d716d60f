import type { ComponentChildren } from 'preact'
import type { Diff, DiffEntry, Marks, Span } from '../../round-api'
import { changeLabel, changeSymbol } from '../../round-format'

/** Text with its bold and italic marks. */
function Marked(props: { marks?: Marks; children: ComponentChildren }) {
  let out: ComponentChildren = props.children
  if (props.marks?.italic) out = <em>{out}</em>
  if (props.marks?.bold) out = <strong>{out}</strong>
  return <>{out}</>
}

/** Consecutive spans with the same operation and author: one <ins> or <del>. */
interface Run {
  op: Span['op']
  author?: string
  spans: Span[]
}

function runs(spans: Span[]): Run[] {
  const out: Run[] = []
  for (const s of spans) {
    const last = out[out.length - 1]
    if (last && last.op === s.op && last.author === s.author) last.spans.push(s)
    else out.push({ op: s.op, author: s.author, spans: [s] })
  }
  return out
}

/**
 * The spans of one block: insertions in <ins>, deletions in <del>, each with a text label for
 * screen readers ("indsat af …:", "slut på indsat") and shown by underline and strike-through,
 * not by colour alone.
 */
export function DiffText(props: { spans: Span[] }) {
  return (
    <>
      {runs(props.spans).map((r, i) => {
        const text = r.spans.map((s, j) => (
          <Marked key={j} marks={s.marks}>
            {s.text}
          </Marked>
        ))
        if (r.op === 'equal') return <span key={i}>{text}</span>
        const by = r.author ? ` af ${r.author}` : ''
        if (r.op === 'inserted')
          return (
            <ins key={i} class="diff-ins" data-author={r.author}>
              <span class="visually-hidden">[indsat{by}: </span>
              {text}
              <span class="visually-hidden"> – slut på indsat]</span>
            </ins>
          )
        return (
          <del key={i} class="diff-del" data-author={r.author}>
            <span class="visually-hidden">[slettet{by}: </span>
            {text}
            <span class="visually-hidden"> – slut på slettet]</span>
          </del>
        )
      })}
    </>
  )
}

function unique(xs: (string | undefined)[]): string[] {
  return Array.from(new Set(xs.filter((x): x is string => !!x)))
}

/** Who made the changes of an entry, and which LMUs its text came from. */
export function entryFacts(e: DiffEntry): { authors: string[]; sources: string[] } {
  const spans = e.spans ?? []
  return {
    authors: unique(spans.filter((s) => s.op !== 'equal').map((s) => s.author)),
    sources: unique(spans.filter((s) => s.op !== 'deleted').map((s) => s.marks?.provenance?.committee)),
  }
}

/** One block of a diff: what happened to it (symbol and words), its text, and who did it. */
export function DiffBlock(props: { entry: DiffEntry; showBadge?: boolean }) {
  const e = props.entry
  const { authors, sources } = entryFacts(e)
  const kind = e.kind.type
  const changed = e.change !== 'unchanged'
  return (
    <div
      class={`diff-block diff-block--${e.change} diff-kind--${kind}`}
      data-change={e.change}
    >
      {changed && props.showBadge !== false && (
        <span class="diff-badge">
          <span aria-hidden="true">{changeSymbol[e.change]} </span>
          {changeLabel[e.change]}
          {e.old_kind ? ' (typen er ændret)' : ''}:{' '}
        </span>
      )}
      <span class="diff-text">
        {kind === 'list_item' && <span aria-hidden="true">• </span>}
        {e.change === 'moved_away' ? (
          <span class="muted">(afsnittet er flyttet længere frem eller tilbage i teksten)</span>
        ) : (
          <DiffText spans={e.spans ?? []} />
        )}
      </span>
      {changed && (authors.length > 0 || sources.length > 0) && (
        <span class="diff-meta">
          {authors.length > 0 && (
            <>
              {' '}
              {e.change === 'inserted' ? 'Indsat' : e.change === 'deleted' ? 'Slettet' : 'Ændret'} af{' '}
              {authors.join(', ')}.
            </>
          )}
          {sources.length > 0 && <> Kilde: {sources.join(', ')}.</>}
        </span>
      )}
    </div>
  )
}

/** A whole diff, block by block, with its summary in words. */
export function DiffView(props: { diff: Diff; label: string }) {
  const d = props.diff
  return (
    <div class="diff" role="group" aria-label={props.label} data-testid="diff">
      <p class="diff-summary">{d.summary.text}</p>
      {d.entries.length === 0 ? (
        <p class="muted">Teksten er tom.</p>
      ) : (
        d.entries.map((e, i) => <DiffBlock key={i} entry={e} />)
      )}
    </div>
  )
}
