import { type AnyExtension, Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import StarterKit from '@tiptap/starter-kit'
import { useEffect, useRef, useState } from 'preact/hooks'
import { CollabSession, type CollabStatus, closeMessage, colorFor, type Presence } from './collab'
import { PresenceList } from './PresenceList'
import { Toolbar } from './Toolbar'

/** The caret of another user: a coloured bar with their name (presence is also listed in text). */
function renderCaret(user: Record<string, string>): HTMLElement {
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.style.borderColor = user.color
  caret.setAttribute('aria-hidden', 'true')
  caret.dataset.user = user.name
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = user.color
  label.textContent = user.name
  caret.append(label)
  return caret
}

/**
 * The live editor of one response document: Tiptap (StarterKit limited to the server's schema:
 * paragraphs, H2/H3, lists, blockquote, bold, italic, hard breaks) bound to Yjs, with a toolbar,
 * the people present, their carets, and the connection and save state.
 */
export function ResponseEditor(props: {
  documentId: string
  editable: boolean
  user: { id: number; name: string }
  label: string
  onDenied?: () => void
  /** More Tiptap extensions (the joint response adds the provenance mark). */
  extensions?: AnyExtension[]
  /** Receives the editor once it exists (and null when it goes), for pages that act on it. */
  onEditor?: (editor: Editor | null, session: CollabSession | null) => void
}) {
  const host = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [session, setSession] = useState<CollabSession | null>(null)
  const [status, setStatus] = useState<CollabStatus | null>(null)
  const [present, setPresent] = useState<Presence[]>([])
  const [, setTick] = useState(0)
  const onDenied = useRef(props.onDenied)
  onDenied.current = props.onDenied
  const onEditor = useRef(props.onEditor)
  onEditor.current = props.onEditor

  useEffect(() => {
    const s = new CollabSession(props.documentId)
    const ed = new Editor({
      element: host.current!,
      editable: false, // until the first sync, so nothing is typed into an empty stand-in
      extensions: [
        StarterKit.configure({
          undoRedo: false, // Collaboration brings its own undo, limited to the user's changes
          heading: { levels: [2, 3] },
          code: false,
          codeBlock: false,
          strike: false,
          underline: false,
          link: false,
          horizontalRule: false,
          trailingNode: false,
        }),
        Collaboration.configure({ document: s.doc }),
        CollaborationCaret.configure({
          provider: s.provider,
          user: { name: props.user.name, color: colorFor(props.user.id) },
          render: renderCaret,
        }),
        ...(props.extensions ?? []),
      ],
      editorProps: {
        attributes: {
          id: 'response-editor',
          class: 'prose',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': props.label,
        },
      },
    })
    ed.on('transaction', () => setTick((t) => t + 1))
    const offStatus = s.onStatus((st) => {
      setStatus(st)
      if (st.denied) onDenied.current?.()
    })
    const offPresence = s.onPresence(() => setPresent(s.presence()))
    setStatus(s.getStatus())
    setPresent(s.presence())
    setSession(s)
    setEditor(ed)
    onEditor.current?.(ed, s)
    return () => {
      offStatus()
      offPresence()
      onEditor.current?.(null, null)
      ed.destroy()
      s.destroy()
    }
  }, [props.documentId, props.user.id])

  const closed = status?.connection === 'closed'
  const canType = props.editable && !closed && !!status?.synced
  const wasSynced = useRef(false)
  if (status?.synced) wasSynced.current = true

  useEffect(() => {
    if (!editor) return
    // Stay editable while reconnecting (changes wait locally); not before the first sync.
    const on = props.editable && !closed && wasSynced.current
    if (editor.isEditable !== on) editor.setEditable(on)
    const el = editor.view.dom as HTMLElement
    if (on) el.removeAttribute('aria-readonly')
    else el.setAttribute('aria-readonly', 'true')
  }, [editor, props.editable, closed, canType])

  const connectionText =
    status?.connection === 'connected'
      ? status.synced
        ? 'Forbundet'
        : 'Henter dokumentet…'
      : status?.connection === 'reconnecting'
        ? 'Forbinder igen…'
        : status?.connection === 'closed'
          ? 'Afbrudt'
          : 'Forbinder…'

  return (
    <div class="editor">
      <div class="editor__bar">
        <p class="editor__state" role="status" aria-atomic="true">
          <span class={`conn conn--${status?.connection ?? 'connecting'}`} data-testid="connection">
            <span aria-hidden="true">{status?.connection === 'connected' ? '● ' : '○ '}</span>
            {connectionText}
          </span>
          {props.editable && !closed && (
            <span class="save" data-testid="save-state" data-saved={status?.saved ? 'true' : 'false'}>
              {' · '}
              {status?.saved ? 'Gemt' : 'Gemmer…'}
            </span>
          )}
        </p>
        {session && <PresenceList people={present} />}
      </div>
      {closed && status?.closeCode && (
        <div class="notice notice--error" role="alert" data-testid="close-reason">
          {closeMessage(status.closeCode)}
          <div class="notice__actions">
            {status.closeCode === 4401 ? (
              <a class="button" href={`/logind?next=${encodeURIComponent(location.pathname)}`}>
                Log ind igen
              </a>
            ) : (
              <button type="button" class="button" onClick={() => location.reload()}>
                Genindlæs siden
              </button>
            )}
          </div>
        </div>
      )}
      {editor && props.editable && <Toolbar editor={editor} disabled={!canType} />}
      <div ref={host} class={`editor__surface${props.editable ? '' : ' is-readonly'}`} />
    </div>
  )
}
