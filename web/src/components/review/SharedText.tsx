import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import StarterKit from '@tiptap/starter-kit'
import type { RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { CollabSession, type CollabStatus, closeMessage } from '../../editor/collab'
import { ProvenanceMark } from '../../editor/provenance'
import {
  type Anchor,
  anchorRange,
  CommentHighlights,
  commentsKey,
  ReadOnlyGuard,
  selectionAnchor,
} from './sharedText'

export interface SelectedPassage {
  quote: string
  start: string
  end: string
}

/** What the review page may ask of the text. */
export interface SharedTextHandle {
  /** Selects and shows a comment's passage; false when it is no longer in the text. */
  show(anchor: Anchor): boolean
}

/**
 * The joint response, live and read-only: Tiptap bound to the joint document over y-websocket
 * (the server gives HMU members a read-only connection; for the chairs the guard keeps it
 * unchanged here). The text can be focused, read with the caret and selected with the keyboard
 * or the mouse; the selection becomes a comment's anchor. Comments' passages are highlighted.
 */
export function SharedText(props: {
  documentId: string
  label: string
  anchors: Anchor[]
  active: number | null
  onSelection: (p: SelectedPassage | null) => void
  /** Which comments' passages are in the text now (after the first sync). */
  onFound: (found: Set<number>) => void
  handle: RefObject<SharedTextHandle | null>
}) {
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [status, setStatus] = useState<CollabStatus | null>(null)
  const cb = useRef(props)
  cb.current = props

  useEffect(() => {
    const s = new CollabSession(props.documentId)
    const ed = new Editor({
      element: host.current!,
      editable: true, // for the caret and keyboard selection; the guard keeps the text as it is
      extensions: [
        StarterKit.configure({
          undoRedo: false,
          heading: { levels: [1, 2, 3, 4, 5, 6] },
          code: false,
          codeBlock: false,
          strike: false,
          underline: false,
          link: false,
          horizontalRule: false,
          trailingNode: false,
          dropcursor: false,
          gapcursor: false,
        }),
        ProvenanceMark,
        Collaboration.configure({ document: s.doc }),
        ReadOnlyGuard,
        CommentHighlights,
      ],
      editorProps: {
        attributes: {
          id: 'shared-text',
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-readonly': 'true',
          'aria-label': props.label,
          'aria-describedby': 'shared-text-help',
        },
      },
    })
    let lastFound = ''
    let everSynced = false
    const report = () => {
      const cs = commentsKey.getState(ed.state)
      if (!everSynced) return
      const found = new Set<number>()
      for (const a of cs?.anchors ?? []) if (anchorRange(ed.state, a)) found.add(a.id)
      const key = Array.from(found).sort().join(',')
      if (key !== lastFound) {
        lastFound = key
        cb.current.onFound(found)
      }
    }
    ed.on('selectionUpdate', () => {
      const a = selectionAnchor(ed.state)
      cb.current.onSelection(a ? { quote: a.quote, start: a.start, end: a.end } : null)
    })
    ed.on('transaction', report)
    const off = s.onStatus((st) => {
      setStatus(st)
      if (st.synced && !everSynced) {
        everSynced = true
        lastFound = '-'
        report()
      }
    })
    setStatus(s.getStatus())
    setEditor(ed)
    cb.current.handle.current = {
      show(anchor: Anchor) {
        const r = anchorRange(ed.state, anchor)
        if (!r) return false
        ed.chain().setTextSelection(r).focus().scrollIntoView().run()
        return true
      },
    }
    return () => {
      cb.current.handle.current = null
      off()
      ed.destroy()
      s.destroy()
    }
  }, [props.documentId])

  // The comments' anchors and the active one go into the editor as plugin state.
  useEffect(() => {
    if (!editor) return
    editor.view.dispatch(editor.state.tr.setMeta(commentsKey, { anchors: props.anchors, active: props.active }))
  }, [editor, props.anchors, props.active])

  const closed = status?.connection === 'closed'
  const text =
    status?.connection === 'connected'
      ? status.synced
        ? 'Forbundet – teksten opdateres, når formandskabet ændrer den'
        : 'Henter teksten…'
      : status?.connection === 'reconnecting'
        ? 'Forbinder igen…'
        : closed
          ? 'Afbrudt'
          : 'Forbinder…'

  return (
    <div class="shared-text">
      <p class="editor__state" role="status" aria-atomic="true">
        <span class={`conn conn--${status?.connection ?? 'connecting'}`} data-testid="shared-connection">
          <span aria-hidden="true">{status?.connection === 'connected' ? '● ' : '○ '}</span>
          {text}
        </span>
      </p>
      {closed && status?.closeCode && (
        <div class="notice notice--error" role="alert">
          {closeMessage(status.closeCode)}
        </div>
      )}
      <p id="shared-text-help" class="muted small">
        Teksten kan ikke ændres her. Markér en passage med musen eller med Skift og piletasterne
        for at kommentere den.
      </p>
      <div ref={host} class="editor__surface is-readonly" />
    </div>
  )
}
