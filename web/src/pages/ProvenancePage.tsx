import { useCallback, useEffect, useState } from 'preact/hooks'
import { api, ApiError, type Hearing } from '../api'
import {
  type Block,
  type BlockSources,
  blockText,
  type Coverage,
  consolidationApi,
  type Point,
  type ProvenanceReport,
} from '../consolidation-api'
import {
  excerpt,
  blockLabel,
  percent,
  slug,
  workspaceHref,
} from '../components/consolidation/common'
import { ErrorMessage } from '../components/ErrorMessage'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { formatDateTime, hearingStateLabel } from '../format'
import { onLinkClick } from '../router'

/** The text of a joint block that carries the mark of one source block. */
function markedText(block: Block | undefined, committee: string, version: number, source: number): string {
  return (block?.inlines ?? [])
    .filter((i) => {
      const p = i.marks?.provenance
      return p && p.committee === committee && p.version === version && p.block === source
    })
    .map((i) => i.text)
    .join('')
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim()

/**
 * How marked text compares with what it was taken from: "uændret", or "omformuleret, 63 % ens"
 * — only when the source's text is known (the report carries the text of points, not of
 * headings; the server's similarity of short texts stays below 100 % even when unchanged).
 */
function rewording(marked: string, source: string | undefined, similarity: number | undefined): string {
  if (source === undefined || !marked) return ''
  if (norm(marked) === norm(source)) return 'uændret'
  return similarity === undefined ? 'omformuleret' : `omformuleret, ${percent(similarity)} ens med originalen`
}

/** Where one paragraph of the joint response comes from, in words. */
function Sources(props: { b: BlockSources; block: Block | undefined; sourceText: (committee: string, block: number) => string | undefined }) {
  const { b } = props
  if (b.marked.length === 0 && b.similar.length === 0) {
    return <p class="muted">Intet LMU – formandskabets egen tekst.</p>
  }
  return (
    <ul class="sources">
      {b.marked.map((m) => {
        const how = rewording(markedText(props.block, m.committee, m.version, m.block), props.sourceText(m.committee, m.block), m.similarity)
        return (
          <li key={`m-${m.committee}-${m.block}`} data-committee={m.committee} data-how="mark">
            <strong>{m.committee}</strong>, afsnit {m.block + 1}: taget fra svaret ({percent(m.share)} af teksten
            {how ? `; ${how}` : ''})
          </li>
        )
      })}
      {b.similar.map((s) => (
        <li key={`s-${s.committee}-${s.block}`} data-committee={s.committee} data-how="similarity">
          <strong>{s.committee}</strong>, afsnit {s.block + 1}: ligner ({percent(s.similarity)} ens)
        </li>
      ))}
      {b.marked.length > 0 && b.unmarked_chars > 0 && (
        <li class="muted">{b.unmarked_chars} tegn er skrevet af formandskabet selv.</li>
      )}
    </ul>
  )
}

function PointItem(props: { hearing: number; c: Coverage; p: Point; canTake: boolean; joint: Block[] }) {
  const { c, p } = props
  const how = (r: Point['by'][number]) => {
    if (r.how !== 'mark') return `afsnit ${r.joint_block + 1} (ligner, ${percent(r.similarity)} ens)`
    const w = rewording(markedText(props.joint[r.joint_block], c.committee, c.version, p.block), p.text, r.similarity)
    return `afsnit ${r.joint_block + 1} (taget fra svaret${w ? `, ${w}` : ''})`
  }
  return (
    <li data-block={p.block} data-reflected={p.reflected ? 'true' : 'false'}>
      <p class="point__text">
        <span class="point__kind">{blockLabel(p.kind, p.block)}:</span> {excerpt(p.text, 220)}
      </p>
      {p.reflected ? (
        <p class="point__by">
          <span aria-hidden="true">✓ </span>
          Afspejlet i udkastets {p.by.map(how).join(' og ')}
        </p>
      ) : (
        <p class="point__by">
          <span aria-hidden="true">○ </span>Ikke afspejlet i udkastet.{' '}
          {props.canTake && (
            <a
              href={workspaceHref(props.hearing, c.committee, p.block)}
              aria-label={`Tag stilling i samlingen: ${c.committee}, afsnit ${p.block + 1}`}
              onClick={onLinkClick}
            >
              Tag stilling i samlingen
            </a>
          )}
        </p>
      )}
    </li>
  )
}

/**
 * The provenance report: for each paragraph of the joint response the LMUs it draws on (taken
 * with a mark, or similar by text), and for each LMU how many of its points are reflected, with
 * the points that are not — so that no LMU's point is dropped without anyone deciding to.
 */
export function ProvenancePage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const [hearing, setHearing] = useState<Hearing | null>(null)
  const [data, setData] = useState<ProvenanceReport | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loadedAt, setLoadedAt] = useState<Date | null>(null)
  const [message, setMessage] = useState('')

  const load = useCallback(
    (announce = false) =>
      consolidationApi.provenance(id).then(
        (d) => {
          setData(d)
          setError(null)
          setLoadedAt(new Date())
          if (announce) setMessage('Rapporten er opdateret.')
        },
        setError,
      ),
    [id],
  )

  useEffect(() => {
    api.hearing(id).then(setHearing, setError)
    void load()
  }, [id, load])

  if (!hearing || !data) {
    const noAccess = error instanceof ApiError && (error.status === 403 || error.status === 404)
    return (
      <section>
        <PageHeading title={noAccess ? 'Ingen adgang' : 'Proveniensrapport'} />
        <ErrorMessage error={error} />
        {!error && <Loading what="rapporten" />}
        <p>
          <Link href={`/hoeringer/${id}`}>Tilbage til høringen</Link>
        </p>
      </section>
    )
  }

  const h = hearing
  const r = data.report
  const joint = data.joint.blocks
  const canTake = h.can.consolidate
  const points = r.committees.reduce((n, c) => n + c.points, 0)
  const reflected = r.committees.reduce((n, c) => n + c.reflected, 0)
  const sourceText = (committee: string, block: number) =>
    r.committees.find((c) => c.committee === committee)?.items.find((p) => p.block === block)?.text

  return (
    <article class="provenance-report">
      <PageHeading title="Proveniensrapport" />
      <p class="breadcrumb">
        Høring: <Link href={`/hoeringer/${h.id}`}>{h.title}</Link>
      </p>
      <p>
        Hvor det fælles høringssvar kommer fra: for hvert afsnit de LMU’er, det bygger på – enten fordi teksten er
        taget fra deres svar (og bærer mærket, også når den er omformuleret), eller fordi den ligner deres tekst
        (fra {percent(r.threshold)} ens). Og for hvert LMU de punkter, der endnu ikke er afspejlet.
      </p>
      <dl class="facts">
        <div>
          <dt>Tilstand</dt>
          <dd>{hearingStateLabel[h.state] ?? h.state}</dd>
        </div>
        <div>
          <dt>Punkter afspejlet i alt</dt>
          <dd data-testid="total-coverage">
            {reflected} af {points}
          </dd>
        </div>
        <div>
          <dt>Beregnet</dt>
          <dd>{loadedAt ? formatDateTime(loadedAt.toISOString()) : '–'}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" class="button" onClick={() => void load(true)}>
          Opdater rapporten
        </button>
        {canTake && (
          <Link href={workspaceHref(h.id)} class="button">
            Til samlingen
          </Link>
        )}
      </div>
      <p role="status" class="visually-hidden-empty">
        {message}
      </p>
      <ErrorMessage error={error} />

      <section aria-labelledby="coverage-heading">
        <h2 id="coverage-heading">LMU’ernes punkter i det fælles svar</h2>
        <div class="table-wrap">
          <table class="table" data-testid="coverage">
            <caption class="visually-hidden">Hvor mange af hvert LMU’s punkter det fælles svar afspejler</caption>
            <thead>
              <tr>
                <th scope="col">LMU</th>
                <th scope="col">Afspejlet</th>
                <th scope="col">Ikke afspejlet</th>
              </tr>
            </thead>
            <tbody>
              {r.committees.map((c) => (
                <tr key={c.committee} data-committee={c.committee}>
                  <th scope="row">
                    <a href={`#lmu-${slug(c.committee)}`}>{c.committee}</a>
                  </th>
                  <td data-testid="coverage-text">
                    <span class="coverage-bar" aria-hidden="true">
                      <span style={{ width: `${c.points ? (100 * c.reflected) / c.points : 0}%` }} />
                    </span>
                    {c.text}
                  </td>
                  <td>{c.points - c.reflected}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="paragraphs-heading">
        <h2 id="paragraphs-heading">Det fælles svar afsnit for afsnit</h2>
        {r.blocks.length === 0 ? (
          <p class="muted">Det fælles høringssvar er tomt endnu.</p>
        ) : (
          <div class="table-wrap">
            <table class="table" data-testid="paragraphs">
              <caption class="visually-hidden">Hvilke LMU’er hvert afsnit af det fælles svar bygger på</caption>
              <thead>
                <tr>
                  <th scope="col">Afsnit</th>
                  <th scope="col">Tekst</th>
                  <th scope="col">Bygger på</th>
                </tr>
              </thead>
              <tbody>
                {r.blocks.map((b) => (
                  <tr key={b.index} data-index={b.index} data-committees={b.committees.join(' ')}>
                    <th scope="row">{blockLabel(b.kind, b.index)}</th>
                    <td>{joint[b.index] ? excerpt(blockText(joint[b.index]), 200) : ''}</td>
                    <td>
                      <Sources b={b} block={joint[b.index]} sourceText={sourceText} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="points-heading">
        <h2 id="points-heading">Punkter pr. LMU</h2>
        {r.committees.map((c) => {
          const open = c.items.filter((p) => !p.reflected)
          const done = c.items.filter((p) => p.reflected)
          return (
            <section key={c.committee} aria-labelledby={`lmu-${slug(c.committee)}`} class="coverage" data-committee={c.committee}>
              <h3 id={`lmu-${slug(c.committee)}`} tabIndex={-1}>
                {c.text}
              </h3>
              <h4>Ikke afspejlet ({open.length})</h4>
              {open.length === 0 ? (
                <p class="muted">Alle punkter er afspejlet.</p>
              ) : (
                <ul class="points" data-testid="unreflected">
                  {open.map((p) => (
                    <PointItem key={p.block} hearing={h.id} c={c} p={p} canTake={canTake} joint={joint} />
                  ))}
                </ul>
              )}
              {done.length === 0 ? (
                <p class="muted">Ingen af punkterne er afspejlet endnu.</p>
              ) : (
                <details class="points-done">
                  <summary>Afspejlet ({done.length})</summary>
                  <ul class="points" data-testid="reflected">
                    {done.map((p) => (
                      <PointItem key={p.block} hearing={h.id} c={c} p={p} canTake={canTake} joint={joint} />
                    ))}
                  </ul>
                </details>
              )}
            </section>
          )
        })}
      </section>
    </article>
  )
}
