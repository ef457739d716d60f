import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { api, ApiError, type Hearing } from '../api'
import { consolidationApi, type Workspace } from '../consolidation-api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { type InsertRequest, LmuResponses } from '../components/consolidation/LmuResponses'
import { TrackedChanges } from '../components/consolidation/TrackedChanges'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import {
  insertPassage,
  ProvenanceMark,
  type ProvenanceRef,
  provenanceAtSelection,
  provenanceLabel,
  takenSources,
} from '../editor/provenance'
import { ResponseEditor } from '../editor/ResponseEditor'
import { formatDateTime, hearingStateLabel } from '../format'
import { liveStateText, useHearingEvents } from '../live/useHearingEvents'
import { useSerialLoad } from '../live/useSerialLoad'
import { useLocation } from '../router'
import { useUser } from '../session'

const EXTENSIONS = [ProvenanceMark]
/** The workspace's alignment is read again once the text has rested this long. */
const TEXT_REST_MS = 1500
/** Past the end of any joint response: the server then inserts at the end. */
const AT_END = 1_000_000

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false
  for (const x of a) if (!b.has(x)) return false
  return true
}

/**
 * The chairs' consolidation workspace: the joint response edited live (with the provenance of
 * every passage taken from an LMU) beside every submitted LMU response, aligned with the
 * draft's sections; tracked changes since a named version; sharing the draft with the HMU.
 */
export function ConsolidationPage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const user = useUser()
  const { search } = useLocation()
  const [hearing, setHearing] = useState<Hearing | null>(null)
  const [workspace, setWorkspace] = useState<Workspace | null>(null)
  const [error, setError] = useState<unknown>(null)
  /** A refused insertion: kept until the next one, whatever reloads in between. */
  const [actionError, setActionError] = useState<unknown>(null)
  const [message, setMessage] = useState('')
  const [editor, setEditor] = useState<Editor | null>(null)
  const [taken, setTaken] = useState<Set<string>>(new Set())
  const [cursorPlaced, setCursorPlaced] = useState(false)
  const [origin, setOrigin] = useState<ProvenanceRef[]>([])
  const [where, setWhere] = useState<'cursor' | 'end'>('cursor')
  const [showProvenance, setShowProvenance] = useState(true)
  const [showChanges, setShowChanges] = useState(false)
  const [sharing, setSharing] = useState(false)
  const [shareName, setShareName] = useState('')
  /** Bumped when versions may have been made elsewhere (a sharing makes one). */
  const [versionsKey, setVersionsKey] = useState(0)
  /** Bumped on every change of the joint text on the server (the hearing's "text" events). */
  const [textTick, setTextTick] = useState(0)
  const busy = useRef(false)

  /** The workspace (the server's alignment of the draft as it was) and the hearing, read again. */
  const loadWorkspace = useSerialLoad(() =>
    consolidationApi.workspace(id).then(
      (w) => {
        setWorkspace(w)
        setError(null)
      },
      setError,
    ),
  )
  const loadHearing = useSerialLoad(() => api.hearing(id).then(setHearing, setError))

  useEffect(() => {
    loadHearing()
    loadWorkspace()
  }, [id, loadHearing, loadWorkspace])

  // The hearing's live events: a change of the hearing (another chair shared or named a
  // version, an LMU response was reopened, the hearing was frozen) reads the hearing, the
  // workspace, the versions and the tracked changes again; a change of the text, the
  // workspace's alignment once the text rests (the server sends at most a few events a second)
  // and the tracked changes.
  const textTimer = useRef<number | undefined>(undefined)
  useEffect(() => () => window.clearTimeout(textTimer.current), [])
  const noAccess = error instanceof ApiError && (error.status === 403 || error.status === 404) && !workspace
  const live = useHearingEvents(
    id,
    (what) => {
      if (what === 'hearing') {
        loadHearing()
        loadWorkspace()
        setVersionsKey((k) => k + 1)
        // "Read everything again": the server folds a burst of events into one, and a text
        // change in the same burst as a hearing change arrives as "hearing" alone.
        setTextTick((t) => t + 1)
      } else {
        setTextTick((t) => t + 1)
        window.clearTimeout(textTimer.current)
        textTimer.current = window.setTimeout(() => loadWorkspace(), TEXT_REST_MS)
      }
    },
    !noAccess,
  )

  // Follow the editor: which LMU blocks are in the text, where the cursor is and what it is in.
  useEffect(() => {
    if (!editor) return
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      if (transaction.docChanged) {
        const now = takenSources(editor.state.doc)
        setTaken((old) => (sameSet(old, now) ? old : now))
      }
      const here = provenanceAtSelection(editor)
      setOrigin((old) =>
        old.length === here.length && old.every((p, i) => provenanceLabel(p) === provenanceLabel(here[i])) ? old : here,
      )
    }
    const onFocus = () => setCursorPlaced(true)
    editor.on('transaction', onTransaction)
    editor.on('focus', onFocus)
    setTaken(takenSources(editor.state.doc))
    return () => {
      editor.off('transaction', onTransaction)
      editor.off('focus', onFocus)
    }
  }, [editor])

  const onEditor = useCallback((ed: Editor | null) => setEditor(ed), [])

  const insert = async ({ response, block }: InsertRequest) => {
    if (busy.current) return
    const b = response.blocks.blocks[block]
    const short = response.committee.short_name
    const what = `Afsnit ${block + 1} fra ${short}`
    const from = { committee: short, version: response.version_id, block }
    setActionError(null)
    if (where === 'cursor' && editor?.isEditable) {
      const atEnd = !cursorPlaced
      if (insertPassage(editor, [{ block: b, from }], atEnd)) {
        setMessage(`${what} er indsat ${atEnd ? 'sidst i udkastet' : 'i udkastet ved markøren'}.`)
        return
      }
    }
    // At the end, or when the editor cannot take it now: the server inserts it with its mark.
    busy.current = true
    try {
      await consolidationApi.takePassage(id, response.response_id, [block], AT_END)
      setMessage(`${what} er indsat sidst i udkastet.`)
    } catch (e) {
      setMessage('')
      setActionError(e)
    } finally {
      busy.current = false
    }
  }

  if (!hearing || !workspace) {
    return (
      <section>
        <PageHeading title={noAccess ? 'Ingen adgang' : 'Samling af høringssvar'} />
        {noAccess ? (
          <div class="notice notice--error" role="alert" data-testid="no-access">
            <p>Kun HMU-formandskabet samler LMU’ernes høringssvar til det fælles høringssvar.</p>
            <p class="muted">{(error as ApiError).message}</p>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        {!error && <Loading what="samlingen" />}
        <p>
          <Link href={`/hoeringer/${id}`}>Tilbage til høringen</Link>
        </p>
      </section>
    )
  }

  const h = hearing
  const ws = workspace
  const canInsert = ws.can_edit
  const focus = search.get('lmu')
    ? { committee: search.get('lmu')!, block: search.get('afsnit') ? Number(search.get('afsnit')) - 1 : undefined }
    : undefined

  return (
    <article class="consolidation">
      <PageHeading title="Samling af høringssvar" />
      <p class="breadcrumb">
        Høring: <Link href={`/hoeringer/${h.id}`}>{h.title}</Link>
      </p>
      <dl class="facts">
        <div>
          <dt>Tilstand</dt>
          <dd data-testid="hearing-state">{hearingStateLabel[h.state] ?? h.state}</dd>
        </div>
        <div>
          <dt>Frist for HMU’s høringssvar</dt>
          <dd>{formatDateTime(h.hmu_deadline)}</dd>
        </div>
        <div>
          <dt>LMU-svar</dt>
          <dd>{ws.responses.length} indsendt</dd>
        </div>
      </dl>
      <p class="muted small" data-testid="live-state" data-state={live}>
        {liveStateText(live)}
      </p>
      <p role="status" class="visually-hidden-empty" data-testid="workspace-status">
        {message}
      </p>
      <ErrorMessage error={error} />
      <ErrorMessage error={actionError} prefix="Afsnittet blev ikke indsat:" />

      <div class="actions">
        <Link href={`/hoeringer/${h.id}/proveniens`} class="button">
          Proveniensrapport
        </Link>
        {h.can.share && (
          <button type="button" class="button button--primary" onClick={() => setSharing(true)}>
            Del med HMU
          </button>
        )}
        {h.can.review && (
          <Link href={`/hoeringer/${h.id}/gennemsyn`} class="button">
            Gå til gennemsyn
          </Link>
        )}
      </div>
      {!ws.can_edit && (
        <div class="notice notice--info" data-testid="readonly-notice">
          <span aria-hidden="true">🔒 </span>
          Det fælles høringssvar kan ikke redigeres, mens høringen er “{hearingStateLabel[ws.state] ?? ws.state}”.
        </div>
      )}

      <div class={`workspace${showChanges ? ' workspace--changes' : ''}`}>
        <section class="workspace__draft" aria-labelledby="draft-heading">
          <h2 id="draft-heading">Fælles høringssvar</h2>
          <TrackedChanges
            documentId={ws.joint_document_id}
            canEdit={ws.can_edit}
            changeTick={textTick}
            versionsKey={versionsKey}
            showing={showChanges}
            onShowingChange={setShowChanges}
            announce={setMessage}
          />
          <div hidden={showChanges} class={showProvenance ? 'show-provenance' : 'hide-provenance'}>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={showProvenance}
                onChange={(e) => setShowProvenance((e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              Vis hvor teksten kommer fra
            </label>
            <ResponseEditor
              documentId={ws.joint_document_id}
              editable={ws.can_edit}
              user={{ id: user.id, name: user.name }}
              label="Fælles høringssvar fra HMU"
              extensions={EXTENSIONS}
              onEditor={onEditor}
            />
            <p class="cursor-origin muted" data-testid="cursor-origin">
              {cursorPlaced
                ? origin.length
                  ? `Ved markøren: tekst ${origin.map(provenanceLabel).join(' og ')}.`
                  : 'Ved markøren: formandskabets egen tekst.'
                : 'Klik i udkastet for at se, hvor teksten kommer fra, og for at vælge, hvor nye afsnit skal ind.'}
            </p>
          </div>
        </section>

        <section class="workspace__lmus" aria-labelledby="lmus-heading" hidden={showChanges}>
          <h2 id="lmus-heading">LMU’ernes høringssvar</h2>
          {canInsert && (
            <fieldset class="segmented">
              <legend>Indsæt i udkastet</legend>
              <label>
                <input type="radio" name="insert-where" checked={where === 'cursor'} onChange={() => setWhere('cursor')} /> ved
                markøren
              </label>
              <label>
                <input type="radio" name="insert-where" checked={where === 'end'} onChange={() => setWhere('end')} /> sidst i
                udkastet
              </label>
            </fieldset>
          )}
          {canInsert && where === 'cursor' && !cursorPlaced && (
            <p class="muted">Du har ikke sat markøren i udkastet endnu, så afsnit indsættes sidst.</p>
          )}
          <LmuResponses workspace={ws} taken={taken} canInsert={canInsert} onInsert={insert} focus={focus} />
        </section>
      </div>

      <ConfirmDialog
        open={sharing}
        title="Del udkastet med HMU?"
        confirmLabel="Del med HMU"
        onClose={() => setSharing(false)}
        onConfirm={async () => {
          await consolidationApi.share(h.id, shareName.trim() || undefined)
          setVersionsKey((k) => k + 1)
          setShareName('')
          setMessage('Udkastet er delt med HMU. Medlemmerne kan nu gennemse ændringerne og tage stilling.')
          loadHearing()
          loadWorkspace()
        }}
      >
        <p>
          Teksten, som den er nu, gemmes som en fast version, som HMU’s medlemmer kan læse, kommentere og tage
          stilling til. I kan fortsat rette i udkastet og dele en ny version senere; tidligere godkendelser bortfalder.
        </p>
        <div class="field">
          <label for="share-name">Navn på versionen (valgfrit)</label>
          <input
            id="share-name"
            value={shareName}
            maxLength={200}
            onInput={(e) => setShareName((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </ConfirmDialog>
    </article>
  )
}
