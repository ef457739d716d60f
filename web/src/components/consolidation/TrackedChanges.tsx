import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { consolidationApi, type Diff, type DiffEntry, type VersionSummary } from '../../consolidation-api'
import { formatDateTime } from '../../format'
import { ErrorMessage } from '../ErrorMessage'
import { blockLabel, excerpt } from './common'

const versionKind: Record<VersionSummary['kind'], string> = {
  named: 'gemt',
  submitted: 'indsendt',
  shared: 'delt med HMU',
  frozen: 'endelig',
}

function versionLabel(v: VersionSummary): string {
  return `${v.number}. ${v.name} (${versionKind[v.kind] ?? v.kind} ${formatDateTime(v.created_at)})`
}

function authors(e: DiffEntry): string[] {
  const out: string[] = []
  for (const s of e.spans ?? []) {
    if (s.op !== 'equal' && s.author && !out.includes(s.author)) out.push(s.author)
  }
  return out
}

function spanText(e: DiffEntry, op: 'inserted' | 'deleted'): string {
  return (e.spans ?? [])
    .filter((s) => s.op === op)
    .map((s) => s.text)
    .join(' … ')
}

/** One change in words: what happened where, and an excerpt. */
function describe(e: DiffEntry): { what: string; text: string } {
  const label = (i: number | undefined) => blockLabel(e.kind, i ?? 0).toLowerCase()
  switch (e.change) {
    case 'inserted':
      return { what: `Indsat ${label(e.new_index)}`, text: spanText(e, 'inserted') }
    case 'deleted':
      return { what: `Slettet ${label(e.old_index)} i versionen`, text: spanText(e, 'deleted') }
    case 'moved':
      return {
        what: `Flyttet ${label(e.old_index)} til afsnit ${(e.new_index ?? 0) + 1}`,
        text: (e.spans ?? []).filter((s) => s.op !== 'deleted').map((s) => s.text).join(''),
      }
    default: {
      const ins = spanText(e, 'inserted')
      const del = spanText(e, 'deleted')
      const parts = []
      if (ins) parts.push(`indsat “${excerpt(ins, 80)}”`)
      if (del) parts.push(`slettet “${excerpt(del, 80)}”`)
      return { what: `Ændret ${label(e.new_index)}`, text: parts.join('; ') || 'formatering ændret' }
    }
  }
}

/**
 * Tracked changes of the joint response: name a version ("Gem version"), then switch on "Vis
 * ændringer siden …" to see the changes since it inline (the server's accessible HTML: ins/del
 * with the authors' names), beside a list of the changes (what, who). Kept up to date while the
 * text changes on the server (`changeTick`, from the hearing's "text" events).
 */
export function TrackedChanges(props: {
  documentId: string
  canEdit: boolean
  /** Bumped whenever the server has a change of the live text. */
  changeTick: number
  /** Bumped when versions were made elsewhere (sharing makes one). */
  versionsKey: number
  showing: boolean
  onShowingChange: (on: boolean) => void
  announce: (message: string) => void
}) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null)
  const [from, setFrom] = useState<number | null>(null)
  const [diff, setDiff] = useState<Diff | null>(null)
  const [html, setHtml] = useState<string>('')
  const [error, setError] = useState<unknown>(null)
  const [name, setName] = useState('')
  const [saving, setSaving] = useState(false)
  const htmlRef = useRef<HTMLDivElement>(null)
  const { documentId } = props

  const loadVersions = async (select?: number) => {
    try {
      const list = await consolidationApi.versions(documentId)
      setVersions(list)
      setFrom((f) => select ?? (f !== null && list.some((v) => v.id === f) ? f : (list.at(-1)?.id ?? null)))
      setError(null)
    } catch (e) {
      setError(e)
    }
  }

  useEffect(() => {
    void loadVersions()
  }, [documentId, props.versionsKey])

  useEffect(() => {
    setDiff(null)
    setHtml('')
  }, [from])

  // The diff, fetched when shown and again (debounced) while the text changes.
  useEffect(() => {
    if (!props.showing || from === null) return
    let stale = false
    const t = setTimeout(
      () => {
        Promise.all([consolidationApi.diff(documentId, from), consolidationApi.diffHtml(documentId, from)]).then(
          ([d, h]) => {
            if (stale) return
            setDiff(d)
            setHtml(h)
            setError(null)
          },
          (e) => !stale && setError(e),
        )
      },
      diff ? 800 : 0,
    )
    return () => {
      stale = true
      clearTimeout(t)
    }
  }, [props.showing, from, props.changeTick, documentId])

  // Each rendered block gets an id, so the list can link to it (one .diff-block per entry).
  useLayoutEffect(() => {
    htmlRef.current?.querySelectorAll<HTMLElement>('.diff-block').forEach((el, i) => {
      el.id = `aendring-${i + 1}`
      el.tabIndex = -1
    })
  }, [html])

  const save = async (e: Event) => {
    e.preventDefault()
    const n = name.trim()
    if (!n) {
      setError(new Error('empty'))
      return
    }
    setSaving(true)
    try {
      const v = await consolidationApi.createVersion(documentId, n)
      setName('')
      await loadVersions(v.id)
      props.announce(`Versionen “${v.name}” er gemt. Ændringer kan nu vises siden den.`)
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }

  const selected = versions?.find((v) => v.id === from) ?? null
  const changes = diff ? diff.entries.map((e, i) => ({ e, i })).filter(({ e }) => e.change !== 'unchanged' && e.change !== 'moved_away') : []
  const emptyName = error instanceof Error && error.message === 'empty'

  return (
    <div class="tracked">
      <div class="tracked__bar">
        <div class="tracked__switch">
          <label class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={props.showing}
              disabled={!selected}
              onChange={(e) => props.onShowingChange((e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            Vis ændringer siden
          </label>{' '}
          <select
            aria-label="Version at vise ændringer siden"
            value={from ?? ''}
            disabled={!versions || versions.length === 0}
            onChange={(e) => setFrom(Number((e.currentTarget as HTMLSelectElement).value))}
          >
            {versions && versions.length === 0 && <option value="">ingen versioner endnu</option>}
            {versions?.map((v) => (
              <option key={v.id} value={v.id}>
                {versionLabel(v)}
              </option>
            ))}
          </select>
        </div>
        {props.canEdit && (
          <form class="tracked__save" onSubmit={save}>
            <label for="version-name">Navn på ny version</label>
            <input
              id="version-name"
              value={name}
              maxLength={200}
              placeholder="fx Udkast 1 til HMU-mødet"
              aria-invalid={emptyName ? 'true' : undefined}
              aria-describedby={emptyName ? 'version-name-error' : undefined}
              onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
            />
            <button type="submit" class="button" disabled={saving}>
              {saving ? 'Gemmer…' : 'Gem version'}
            </button>
          </form>
        )}
      </div>
      {emptyName ? (
        <p class="field-error" id="version-name-error" role="alert">
          Giv versionen et navn.
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
      {versions && versions.length === 0 && (
        <p class="muted">Gem en version af udkastet for at kunne se ændringerne siden den.</p>
      )}

      {props.showing && selected && (
        <div class="tracked__view" data-testid="tracked-changes">
          <div class="tracked__text">
            <h3>Ændringer siden “{selected.name}”</h3>
            {!diff && <p class="loading" role="status">Henter ændringerne…</p>}
            <div
              ref={htmlRef}
              class="diff-html prose"
              // The server's rendering: every text escaped; ins/del with hidden labels and authors.
              dangerouslySetInnerHTML={{ __html: html }}
            />
          </div>
          <aside class="tracked__list" aria-labelledby="changes-list-heading">
            <h3 id="changes-list-heading">Ændringerne ({changes.length})</h3>
            {diff && <p class="muted">{diff.summary.text}</p>}
            {diff && changes.length === 0 && <p>Ingen ændringer siden versionen.</p>}
            <ol class="change-list" data-testid="change-list">
              {changes.map(({ e, i }) => {
                const d = describe(e)
                const who = authors(e)
                return (
                  <li key={i} data-change={e.change}>
                    <a
                      href={`#aendring-${i + 1}`}
                      onClick={(ev) => {
                        const el = document.getElementById(`aendring-${i + 1}`)
                        if (!el) return
                        ev.preventDefault()
                        el.scrollIntoView({ block: 'center' })
                        el.focus({ preventScroll: true })
                      }}
                    >
                      {d.what}
                    </a>
                    <span class="change-list__who"> af {who.length ? who.join(', ') : 'ukendt'}</span>
                    {d.text && <span class="change-list__text">{excerpt(d.text, 140)}</span>}
                  </li>
                )
              })}
            </ol>
          </aside>
        </div>
      )}
    </div>
  )
}
