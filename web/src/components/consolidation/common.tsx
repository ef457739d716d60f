// Small pieces the consolidation pages share: a block's text with its formatting, Danish
// percentages and block kinds, and the workspace's deep links. Who may do what is the server's
// word (`Hearing.can`), never worked out here.
import type { Block, BlockKind, Inline } from '../../consolidation-api'

/** "62 %" (Danish puts a space before the sign). */
export function percent(x: number | undefined | null): string {
  const n = Math.round(Math.max(0, Math.min(1, x ?? 0)) * 100)
  return `${n} %`
}

/** "Afsnit 5" with the kind when it is not a plain paragraph: "Afsnit 5 (punkt)". Blocks are
 *  numbered from 1 in the order of the text, whatever their kind. */
export function blockLabel(kind: BlockKind | Block, index: number): string {
  return kind.type === 'paragraph' ? `Afsnit ${index + 1}` : `Afsnit ${index + 1} (${kindLabel(kind).toLowerCase()})`
}

export function kindLabel(kind: BlockKind | Block): string {
  switch (kind.type) {
    case 'heading':
      return 'Overskrift'
    case 'list_item':
      return kind.ordered ? 'Nummereret punkt' : 'Punkt'
    case 'quote':
      return 'Citat'
    default:
      return 'Afsnit'
  }
}

/** Inline runs with bold and italic; line breaks kept. */
export function InlineText(props: { inlines: Inline[] }) {
  return (
    <>
      {props.inlines.map((inline, i) => {
        const parts = inline.text.split('\n')
        let node: preact.ComponentChild = parts.flatMap((p, k) => (k === 0 ? [p] : [<br key={k} />, p]))
        if (inline.marks?.italic) node = <em>{node}</em>
        if (inline.marks?.bold) node = <strong>{node}</strong>
        return <span key={i}>{node}</span>
      })}
    </>
  )
}

/** The first `n` characters of a text, cut at a word, with an ellipsis. */
export function excerpt(text: string, n = 160): string {
  const t = text.replace(/\s+/g, ' ').trim()
  if (t.length <= n) return t
  const cut = t.slice(0, n)
  const at = cut.lastIndexOf(' ')
  return `${(at > n * 0.6 ? cut.slice(0, at) : cut).trimEnd().replace(/[.,;:–-]+$/, '')}…`
}

/** The workspace, opened at one LMU block ("Tag stilling i samlingen"). */
export function workspaceHref(hearing: number, committee?: string, block?: number): string {
  const base = `/hoeringer/${hearing}/samling`
  if (!committee) return base
  const q = new URLSearchParams({ lmu: committee })
  if (block !== undefined) q.set('afsnit', String(block + 1))
  return `${base}?${q}`
}

/** The element id of an LMU block in the workspace. */
export function blockDomId(committee: string, block: number): string {
  return `lmu-${slug(committee)}-afsnit-${block + 1}`
}

/** An LMU's short name as a plain-ASCII id part ("Holmstrupgård" → "holmstrupgaard"). */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/[^a-z0-9]+/g, '-')
}
