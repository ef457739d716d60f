// The provenance mark: text of the joint response taken from an LMU response carries
// `provenance: {committee, version, block}` (the LMU's short name, the submitted version's id and
// the block's index in it). y-tiptap stores a mark as a Yjs text attribute named after it with
// its attributes as the value, which is exactly what the server reads (server/model/read.rs).
//
// ProseMirror keeps marks on text through typing inside it (the mark is inclusive, so typing at
// its end continues it too), splitting and joining paragraphs, and concurrent edits (the marks
// live in the CRDT). A new paragraph typed after Enter starts unmarked (keepOnSplit: false).
//
// Shown quietly: a thin dotted underline, a tooltip naming the LMU, and at the start of each
// passage a small label with the LMU's short name that screen readers read with the text
// ("fra SBU, afsnit 10:"). Hidden together by the workspace's "Vis oprindelse" switch (CSS).
import { type Editor, type JSONContent, Mark, mergeAttributes } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { Block, ProvenanceRef } from '../consolidation-api'

export type { ProvenanceRef }

/** "fra SBU, afsnit 10" (blocks are counted from 1 for people). */
export function provenanceLabel(p: ProvenanceRef): string {
  return `fra ${p.committee}, afsnit ${p.block + 1}`
}

function toInt(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v
  return typeof n === 'number' && Number.isInteger(n) ? n : null
}

/** A mark's attributes as a provenance, if they are one. */
export function asProvenance(attrs: Record<string, unknown> | null | undefined): ProvenanceRef | null {
  if (!attrs) return null
  const committee = attrs.committee
  const version = toInt(attrs.version)
  const block = toInt(attrs.block)
  if (typeof committee !== 'string' || !committee || version === null || block === null || block < 0) return null
  return { committee, version, block }
}

export function provenanceKey(p: ProvenanceRef): string {
  return `${p.committee}\u0000${p.version}\u0000${p.block}`
}

const labelsKey = new PluginKey('provenanceLabels')

/** A label widget at the start of every run of text from one source block. */
function labels(doc: PmNode): DecorationSet {
  const decorations: Decoration[] = []
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true
    let previous: string | null = null
    node.forEach((child, offset) => {
      const mark = child.marks.find((m) => m.type.name === 'provenance')
      const p = mark ? asProvenance(mark.attrs) : null
      const key = p ? provenanceKey(p) : null
      if (p && key !== previous) {
        const at = pos + 1 + offset
        decorations.push(
          Decoration.widget(
            at,
            () => {
              const el = document.createElement('span')
              el.className = 'provenance-label'
              el.contentEditable = 'false'
              el.dataset.committee = p.committee
              const hidden = document.createElement('span')
              hidden.className = 'visually-hidden'
              hidden.textContent = 'Tekst fra '
              const name = document.createElement('span')
              name.textContent = p.committee
              const tail = document.createElement('span')
              tail.className = 'visually-hidden'
              tail.textContent = `, afsnit ${p.block + 1}: `
              el.append(hidden, name, tail)
              return el
            },
            { side: -1, ignoreSelection: true, key: `prov-${key}-${at}` },
          ),
        )
      }
      previous = key
    })
    return false
  })
  return DecorationSet.create(doc, decorations)
}

export const ProvenanceMark = Mark.create({
  name: 'provenance',
  inclusive: true,
  keepOnSplit: false,
  // One origin per character: marking again replaces the earlier origin.
  excludes: 'provenance',

  addAttributes() {
    return {
      committee: { default: null, rendered: false },
      version: { default: null, rendered: false },
      block: { default: null, rendered: false },
    }
  },

  parseHTML() {
    return [
      {
        tag: 'span[data-provenance]',
        getAttrs: (el) => {
          try {
            return asProvenance(JSON.parse((el as HTMLElement).dataset.provenance ?? '')) ?? false
          } catch {
            return false
          }
        },
      },
    ]
  },

  renderHTML({ mark, HTMLAttributes }) {
    const p = asProvenance(mark.attrs)
    return [
      'span',
      mergeAttributes(HTMLAttributes, {
        class: 'provenance',
        'data-provenance': p ? JSON.stringify(p) : undefined,
        'data-committee': p?.committee,
        title: p ? `Tekst ${provenanceLabel(p)}` : undefined,
      }),
      0,
    ]
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: labelsKey,
        state: {
          init: (_, state) => labels(state.doc),
          apply: (tr, old) => (tr.docChanged ? labels(tr.doc) : old),
        },
        props: {
          decorations(state) {
            return labelsKey.getState(state)
          },
        },
      }),
    ]
  },
})

// ---------------------------------------------------------------------------------------------
// Passages: LMU blocks as editor content, and where they go.

type Json = JSONContent

function inlineContent(block: Block, p: ProvenanceRef): Json[] {
  const out: Json[] = []
  for (const inline of block.inlines) {
    const marks: { type: string; attrs?: Record<string, unknown> }[] = [{ type: 'provenance', attrs: { ...p } }]
    if (inline.marks?.bold) marks.push({ type: 'bold' })
    if (inline.marks?.italic) marks.push({ type: 'italic' })
    inline.text.split('\n').forEach((part, k) => {
      if (k > 0) out.push({ type: 'hardBreak' })
      if (part) out.push({ type: 'text', text: part, marks })
    })
  }
  return out
}

/** One LMU block as the editor's JSON, every run marked with where it came from. */
export function passageNode(block: Block, p: ProvenanceRef): Json {
  const content = inlineContent(block, p)
  const paragraph = { type: 'paragraph', content }
  switch (block.type) {
    case 'heading':
      // The editor offers H2 and H3; an LMU's title (H1) becomes a section heading.
      return { type: 'heading', attrs: { level: Math.min(3, Math.max(2, block.level)) }, content }
    case 'list_item':
      return {
        type: block.ordered ? 'orderedList' : 'bulletList',
        content: [{ type: 'listItem', content: [paragraph] }],
      }
    case 'quote':
      return { type: 'blockquote', content: [paragraph] }
    default:
      return paragraph
  }
}

/**
 * Inserts LMU blocks into the editor, marked with their provenance. At the cursor: into an empty
 * paragraph it replaces it; at the start of a block it goes before it; otherwise after the
 * block the cursor is in (a list item joins the list it is in when it is of the same kind).
 * With `atEnd`, at the end of the text. The cursor ends after the inserted text, so the next
 * passage follows it. Returns whether the editor took it.
 */
/** Inserts without moving focus: a chair taking passages one after another stays in the list. */
function run(editor: Editor, at: number | { from: number; to: number }, nodes: Json[]): boolean {
  return editor.chain().insertContentAt(at, nodes).scrollIntoView().run()
}

export function insertPassage(editor: Editor, blocks: { block: Block; from: ProvenanceRef }[], atEnd: boolean): boolean {
  if (!editor.isEditable || blocks.length === 0) return false
  const { state } = editor
  const nodes = blocks.map((b) => passageNode(b.block, b.from))
  const doc = state.doc

  const onlyEmptyParagraph =
    doc.childCount === 1 && doc.firstChild!.type.name === 'paragraph' && doc.firstChild!.content.size === 0
  if (onlyEmptyParagraph) {
    return run(editor, { from: 0, to: doc.content.size }, nodes)
  }
  if (atEnd) {
    return run(editor, doc.content.size, nodes)
  }

  const $from = state.selection.$from
  if ($from.depth === 0) {
    return run(editor, $from.pos, nodes)
  }

  // Into the list the cursor is in, after its item, when every block is an item of that kind.
  for (let d = $from.depth; d > 1; d--) {
    if ($from.node(d).type.name !== 'listItem') continue
    const list = $from.node(d - 1).type.name
    const same = blocks.every(
      (b) => b.block.type === 'list_item' && (b.block.ordered ? 'orderedList' : 'bulletList') === list,
    )
    if (same) {
      const items = nodes.flatMap((n) => n.content ?? [])
      return run(editor, $from.after(d), items)
    }
    break
  }

  const top = $from.node(1)
  if (top.type.name === 'paragraph' && top.content.size === 0) {
    return run(editor, { from: $from.before(1), to: $from.after(1) }, nodes)
  }
  // At the very start of the block (of its first paragraph, inside a list or quote too).
  let atStart = $from.parentOffset === 0
  for (let d = 1; d < $from.depth && atStart; d++) if ($from.index(d) !== 0) atStart = false
  const at = atStart ? $from.before(1) : $from.after(1)
  return run(editor, at, nodes)
}

/** Every source block some text of the document is marked with (keys of provenanceKey). */
export function takenSources(doc: PmNode): Set<string> {
  const out = new Set<string>()
  doc.descendants((node) => {
    if (node.isText) {
      for (const m of node.marks) {
        if (m.type.name !== 'provenance') continue
        const p = asProvenance(m.attrs)
        if (p) out.add(provenanceKey(p))
      }
    }
    return true
  })
  return out
}

/** The origins of the text at the cursor (or of the selected text). */
export function provenanceAtSelection(editor: Editor): ProvenanceRef[] {
  const { state } = editor
  const { from, to, empty, $from } = state.selection
  const seen = new Map<string, ProvenanceRef>()
  const add = (marks: readonly { type: { name: string }; attrs: Record<string, unknown> }[]) => {
    for (const m of marks) {
      if (m.type.name !== 'provenance') continue
      const p = asProvenance(m.attrs)
      if (p) seen.set(provenanceKey(p), p)
    }
  }
  if (empty) add($from.marks())
  else state.doc.nodesBetween(from, to, (n) => {
    if (n.isText) add(n.marks)
  })
  return [...seen.values()]
}
