// Tiptap pieces of the review's read-only view of the joint response: a guard that keeps the
// text unchanged while the caret and selection still work for the keyboard, and comment anchors
// as Yjs relative positions shown as highlighted passages. (The provenance mark is the editor's,
// editor/provenance.ts: the joint text carries it, and a schema without it would drop marked text.)
import { Extension } from '@tiptap/core'
import { isChangeOrigin } from '@tiptap/extension-collaboration'
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import * as buffer from 'lib0/buffer'
import * as Y from 'yjs'

/**
 * Keeps the document as the server sends it: every transaction that would change the text is
 * dropped unless it comes from Yjs (the live updates), and the browser's own editing (typing,
 * pasting, dropping) is cancelled before it happens. Caret, selection and copying still work,
 * so that a keyboard user can select a passage to comment on; Tab leaves the text.
 */
export const ReadOnlyGuard = Extension.create({
  name: 'readOnlyGuard',
  addProseMirrorPlugins() {
    const cancel = (_view: unknown, e: Event) => {
      e.preventDefault()
      return true
    }
    return [
      new Plugin({
        key: new PluginKey('readOnlyGuard'),
        filterTransaction: (tr) => !tr.docChanged || isChangeOrigin(tr),
        props: {
          handleDOMEvents: {
            beforeinput: cancel,
            paste: cancel,
            drop: cancel,
            cut: cancel,
            // Tab moves focus on (no list indenting here); the browser does it when nothing else does.
            keydown: (_view, e) => e.key === 'Tab',
          },
        },
      }),
    ]
  },
})

export interface Anchor {
  id: number
  /** The comment's number on the page ("K1"). */
  n: number
  start: string | null
  end: string | null
  resolved: boolean
}

interface CommentState {
  anchors: Anchor[]
  active: number | null
}

export const commentsKey = new PluginKey<CommentState>('comments')

function decode(b64: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(buffer.fromBase64(b64))
  } catch {
    return null
  }
}

/** The passage of a comment in the current text, or null if it is gone (or not synced yet). */
export function anchorRange(state: EditorState, a: Pick<Anchor, 'start' | 'end'>): { from: number; to: number } | null {
  const ys = ySyncPluginKey.getState(state)
  const binding = ys?.binding
  if (!binding || !ys.doc || !ys.type || !a.start || !a.end) return null
  const s = decode(a.start)
  const e = decode(a.end)
  if (!s || !e) return null
  let from: number | null = null
  let to: number | null = null
  try {
    from = relativePositionToAbsolutePosition(ys.doc, ys.type, s, binding.mapping)
    to = relativePositionToAbsolutePosition(ys.doc, ys.type, e, binding.mapping)
  } catch {
    return null
  }
  if (from === null || to === null) return null
  const size = state.doc.content.size
  from = Math.max(0, Math.min(from, size))
  to = Math.max(0, Math.min(to, size))
  if (to <= from) return null
  // A passage whose every character was deleted leaves no text between its ends.
  if (state.doc.textBetween(from, to, ' ').trim() === '') return null
  return { from, to }
}

/** The selection as a comment anchor: Yjs relative positions of its ends, base64. */
export function selectionAnchor(
  state: EditorState,
): { from: number; to: number; quote: string; start: string; end: string } | null {
  const { from, to, empty } = state.selection
  if (empty) return null
  const ys = ySyncPluginKey.getState(state)
  const binding = ys?.binding
  if (!binding || !ys.type) return null
  const quote = state.doc.textBetween(from, to, ' ').replace(/\s+/g, ' ').trim()
  if (!quote) return null
  const s = absolutePositionToRelativePosition(from, ys.type, binding.mapping)
  const e = absolutePositionToRelativePosition(to, ys.type, binding.mapping)
  return {
    from,
    to,
    quote,
    start: buffer.toBase64(Y.encodeRelativePosition(s)),
    end: buffer.toBase64(Y.encodeRelativePosition(e)),
  }
}

function marker(a: Anchor): HTMLElement {
  const el = document.createElement('span')
  el.className = `comment-marker${a.resolved ? ' is-resolved' : ''}`
  el.contentEditable = 'false'
  el.dataset.comment = String(a.id)
  // Read out as text, so a screen reader hears where a commented passage begins.
  el.textContent = `[K${a.n}${a.resolved ? ', afsluttet' : ''}]`
  return el
}

/**
 * Comments on passages: each anchored passage is highlighted (a dotted underline for a resolved
 * one) and starts with its number, "[K1]". Anchors are set with `setAnchors` (a transaction
 * meta) and resolved against the live text on every update, so they follow later edits.
 */
export const CommentHighlights = Extension.create({
  name: 'commentHighlights',
  addProseMirrorPlugins() {
    return [
      new Plugin<CommentState>({
        key: commentsKey,
        state: {
          init: () => ({ anchors: [], active: null }),
          apply: (tr, v) => (tr.getMeta(commentsKey) as CommentState | undefined) ?? v,
        },
        props: {
          decorations(state) {
            const cs = commentsKey.getState(state)
            if (!cs || cs.anchors.length === 0) return null
            const decos: Decoration[] = []
            for (const a of cs.anchors) {
              const r = anchorRange(state, a)
              if (!r) continue
              const cls = ['comment-mark', a.resolved ? 'is-resolved' : '', cs.active === a.id ? 'is-active' : '']
                .filter(Boolean)
                .join(' ')
              decos.push(Decoration.inline(r.from, r.to, { class: cls, 'data-comment': String(a.id) }))
              decos.push(Decoration.widget(r.from, () => marker(a), { side: -1, key: `k${a.id}-${a.resolved}` }))
            }
            return DecorationSet.create(state.doc, decos)
          },
        },
      }),
    ]
  },
})
