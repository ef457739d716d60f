import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { focusById } from '../components/focusById'
import { Link } from '../components/Link'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { FileRecordForm } from '../components/review/FileRecordForm'
import { recordHtml, sha256Hex } from '../components/review/recordHtml'
import { formatDateTime } from '../format'
import { type ExportFormat, type RecordData, roundApi, type Verification } from '../round-api'
import { formatMeetingDate } from '../round-format'
import { useUser } from '../session'

const FORMATS: { format: ExportFormat; label: string; ext: string }[] = [
  { format: 'pdf', label: 'PDF', ext: 'pdf' },
  { format: 'docx', label: 'Word (DOCX)', ext: 'docx' },
  { format: 'html', label: 'HTML', ext: 'html' },
  { format: 'md', label: 'Markdown', ext: 'md' },
]

function fileBase(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9æøå]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
}

/** The result of "Kontrollér": the server's verification and the browser's own hash of the text. */
function VerifyResult(props: { result: Verification; local: string | null | undefined; sha256: string }) {
  const { result, local } = props
  return (
    <div class={`notice ${result.ok ? 'notice--success' : 'notice--error'}`} data-testid="verify-result" data-ok={result.ok}>
      <p>
        <strong>
          <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
          {result.ok
            ? 'Posten er uændret: teksten giver præcis den gemte SHA-256.'
            : 'Posten stemmer ikke med sin SHA-256.'}
        </strong>
      </p>
      {result.detail && <p>{result.detail}</p>}
      {local !== undefined && (
        <p>
          {local === null
            ? 'Din browser kan ikke selv beregne SHA-256 her (det kræver en sikker forbindelse).'
            : local === props.sha256
              ? 'Din browser har også selv beregnet SHA-256 af den tekst, den fik: den stemmer.'
              : `Din browser beregnede en anden SHA-256 af den tekst, den fik: ${local}.`}
        </p>
      )}
    </div>
  )
}

/** The frozen record (`/poster/{id}`): the text, its hash and check, downloads, the LMU responses, filing. */
export function RecordPage(props: { params: { id: string } }) {
  const id = Number(props.params.id)
  const user = useUser()
  const [record, setRecord] = useState<RecordData | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [verification, setVerification] = useState<Verification | null>(null)
  const [local, setLocal] = useState<string | null | undefined>(undefined)
  const [checking, setChecking] = useState(false)
  const [verifyError, setVerifyError] = useState<unknown>(null)
  const [message, setMessage] = useState('')

  const reload = useCallback(
    () =>
      roundApi.record(id).then(
        (r) => {
          setRecord(r)
          setError(null)
        },
        setError,
      ),
    [id],
  )

  useEffect(() => {
    reload()
  }, [reload])

  const html = useMemo(() => (record ? recordHtml(record.html) : ''), [record?.html])

  if (!record) {
    const missing = error instanceof ApiError && error.status === 404
    return (
      <section>
        <PageHeading title={missing ? 'Posten findes ikke' : 'Endeligt høringssvar'} />
        <ErrorMessage error={error} />
        {!error && <Loading what="posten" />}
        <p>
          <Link href="/">Tilbage til Mine høringer</Link>
        </p>
      </section>
    )
  }

  const r = record
  const check = async () => {
    setChecking(true)
    setVerifyError(null)
    setVerification(null)
    try {
      const [v, mine] = await Promise.all([roundApi.verify(r.id), sha256Hex(r.html)])
      setVerification(v)
      setLocal(mine)
    } catch (e) {
      setVerifyError(e)
    } finally {
      setChecking(false)
    }
  }

  return (
    <article class="record">
      <PageHeading title={`Endeligt høringssvar: ${r.title}`} />
      <p class="breadcrumb">
        Høring: <Link href={`/hoeringer/${r.hearing_id}`}>{r.title}</Link>
      </p>
      <div class="notice notice--info" data-testid="frozen-notice">
        <span aria-hidden="true">🔒 </span>
        Høringssvaret er gjort endeligt {formatDateTime(r.frozen_at)}
        {r.frozen_by ? ` af ${r.frozen_by.name}` : ''}. Teksten er skrivebeskyttet for alle og kan ikke
        ændres.
      </div>
      <p role="status" class="notice notice--success visually-hidden-empty" data-testid="record-message">
        {message}
      </p>

      <section aria-labelledby="approved-heading">
        <h2 id="approved-heading">Godkendt af</h2>
        <ul class="plain" data-testid="approved-by">
          {r.approved_by.map((a) => (
            <li key={a.id}>
              <span aria-hidden="true">✓ </span>
              {a.name}, {formatDateTime(a.at)}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="hash-heading">
        <h2 id="hash-heading">Kontrol af teksten</h2>
        <dl class="hash-facts">
          <div>
            <dt>SHA-256</dt>
            <dd>
              <code class="hash" data-testid="sha256">
                {r.sha256}
              </code>
            </dd>
          </div>
          <div>
            <dt>Kanonisk form</dt>
            <dd>
              <code data-testid="form">{r.form}</code> – SHA-256 er beregnet af teksten i denne form
              (HTML i UTF-8, byte for byte).
            </dd>
          </div>
        </dl>
        <button type="button" class="button" onClick={check} disabled={checking}>
          {checking ? 'Kontrollerer…' : 'Kontrollér'}
        </button>
        <div role="status" aria-live="polite">
          {verification && <VerifyResult result={verification} local={local} sha256={r.sha256} />}
        </div>
        <ErrorMessage error={verifyError} prefix="Kontrollen kunne ikke gennemføres:" />
        <details class="canonical">
          <summary>Vis den kanoniske form</summary>
          <pre data-testid="canonical">{r.html}</pre>
        </details>
      </section>

      <section aria-labelledby="download-heading">
        <h2 id="download-heading">Hent høringssvaret</h2>
        <ul class="plain downloads" data-testid="downloads">
          {FORMATS.map((f) => (
            <li key={f.format}>
              <a href={roundApi.recordExportUrl(r.id, f.format)} download={`${fileBase(r.title)}.${f.ext}`}>
                Hent som {f.label}
              </a>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="text-heading">
        <h2 id="text-heading">Teksten</h2>
        {/* Canonical HTML from our own API, rebuilt from an allow-list in recordHtml. */}
        <div class="prose record-text" data-testid="record-text" dangerouslySetInnerHTML={{ __html: html }} />
      </section>

      <section aria-labelledby="responses-heading">
        <h2 id="responses-heading">LMU’ernes høringssvar (bilag)</h2>
        <p class="muted">De indsendte høringssvar, som det fælles svar bygger på.</p>
        <div class="table-wrap">
          <table class="table" data-testid="record-responses">
            <caption class="visually-hidden">LMU’ernes indsendte høringssvar med downloads</caption>
            <thead>
              <tr>
                <th scope="col">LMU</th>
                <th scope="col">Indsendt</th>
                <th scope="col">Hent</th>
              </tr>
            </thead>
            <tbody>
              {r.responses.map((resp) => (
                <tr key={resp.version_id}>
                  <th scope="row">{resp.committee}</th>
                  <td>
                    {formatDateTime(resp.submitted_at)}
                    {resp.submitted_by ? ` af ${resp.submitted_by.name}` : ''}
                    {resp.late && (
                      <>
                        {' '}
                        <span class="status status--submitted_late">
                          <span aria-hidden="true">◆ </span>for sent
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    <a
                      href={roundApi.versionExportUrl(resp.version_id, 'pdf')}
                      download={`hoeringssvar-${fileBase(resp.committee)}.pdf`}
                    >
                      PDF<span class="visually-hidden"> med høringssvaret fra {resp.committee}</span>
                    </a>
                    {' · '}
                    <a
                      href={roundApi.versionExportUrl(resp.version_id, 'docx')}
                      download={`hoeringssvar-${fileBase(resp.committee)}.docx`}
                    >
                      Word<span class="visually-hidden"> med høringssvaret fra {resp.committee}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="filed-heading">
        <h2 id="filed-heading" tabIndex={-1}>
          Arkivering
        </h2>
        {r.filed.length > 0 ? (
          <ul class="plain" data-testid="filed">
            {r.filed.map((f) => (
              <li key={f.agenda_item_id}>
                Arkiveret som bilag til{' '}
                <Link href={`/moeder/${f.meeting_id}#punkt-${f.number}`}>
                  punkt {f.number}: {f.title}
                </Link>{' '}
                på mødet i {f.committee} {formatMeetingDate(f.meeting_date)}, med LMU’ernes høringssvar som bilag
                under det.
              </li>
            ))}
          </ul>
        ) : (
          <p data-testid="not-filed">Høringssvaret er ikke arkiveret med et mødes referat endnu.</p>
        )}
        {user.secretariat && r.filed.length === 0 && (
          <FileRecordForm
            recordId={r.id}
            onFiled={(m) => {
              setMessage(m)
              // The form goes once the record is filed: focus moves to the section's heading.
              reload().then(() => focusById('filed-heading'))
            }}
          />
        )}
      </section>
    </article>
  )
}
