import { useEffect, useState } from 'preact/hooks'
import { api, type AuditEntry } from '../api'
import { formatDateTime } from '../format'
import { ErrorMessage } from './ErrorMessage'
import { Loading } from './Loading'

const actionLabels: Record<string, string> = {
  'hearing.create': 'Høring oprettet',
  'hearing.update': 'Høring ændret',
  'hearing.open': 'Sendt i høring',
  'hearing.close': 'Indsamling afsluttet',
  'file.upload': 'Fil uploadet',
  'file.delete': 'Fil slettet',
  'response.submit': 'Høringssvar indsendt',
  'response.reopen': 'Høringssvar genåbnet',
}

function describe(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return parts.join('; ') || '–'
}

/** The hearing's audit log (secretariat only), newest first. */
export function AuditLog(props: { hearingId: number; refreshKey: number }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    api.audit(props.hearingId).then(setEntries, setError)
  }, [props.hearingId, props.refreshKey])

  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Log over ændringer</h2>
      <ErrorMessage error={error} />
      {!entries && !error && <Loading what="loggen" />}
      {entries && entries.length === 0 && <p>Ingen hændelser endnu.</p>}
      {entries && entries.length > 0 && (
        <div class="table-wrap">
          <table class="table table--compact" data-testid="audit">
            <caption class="visually-hidden">Hvem gjorde hvad og hvornår, nyeste først</caption>
            <thead>
              <tr>
                <th scope="col">Tidspunkt</th>
                <th scope="col">Hvem</th>
                <th scope="col">Handling</th>
                <th scope="col">Detaljer</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.user?.name ?? 'Systemet'}</td>
                  <td>{actionLabels[e.action] ?? e.action}</td>
                  <td class="detail">{describe(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
