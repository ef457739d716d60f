import { useEffect, useState } from 'preact/hooks'
import { api, type AuditEntry, type CommitteeRef } from '../api'
import { formatBytes, formatDateTime } from '../format'
import { ErrorMessage } from './ErrorMessage'
import { Loading } from './Loading'

const actionLabels: Record<string, string> = {
  'hearing.created': 'Høring oprettet',
  'hearing.updated': 'Høring ændret',
  'hearing.opened': 'Sendt i høring',
  'hearing.closed': 'Indsamling afsluttet',
  'hearing.frozen': 'Fælles høringssvar frosset og arkiveret',
  'file.uploaded': 'Fil uploadet',
  'file.deleted': 'Fil slettet',
  'response.submitted': 'Høringssvar indsendt',
  'response.reopened': 'Høringssvar genåbnet',
  'version.created': 'Version gemt',
  'approval.given': 'Godkendt',
  'approval.voided': 'Godkendelse annulleret',
  'meeting.created': 'Møde oprettet',
  'meeting.updated': 'Møde ændret',
}

/** A readable line from an entry's detail; committee ids are named from the hearing's LMUs. */
function describe(detail: Record<string, unknown>, committees: Map<number, CommitteeRef>): string {
  const parts: string[] = []
  const name = (id: unknown) => committees.get(Number(id))?.short_name ?? `udvalg ${id}`
  for (const [k, v] of Object.entries(detail ?? {})) {
    if (v === null || v === undefined || v === '') continue
    switch (k) {
      case 'title':
        parts.push(`“${v}”`)
        break
      case 'name':
        parts.push(String(v))
        break
      case 'size':
        parts.push(formatBytes(Number(v)))
        break
      case 'invited':
        if (Array.isArray(v)) parts.push(`inviterede: ${v.map(name).join(', ')}`)
        break
      case 'responses':
        parts.push(`${v} høringssvar oprettet`)
        break
      case 'committee':
        parts.push(name(v))
        break
      case 'late':
        if (v === true) parts.push('for sent')
        break
      case 'version':
        parts.push(`version ${v}`)
        break
      case 'file':
      case 'response':
      case 'sha256':
        break // ids and hashes say nothing to a reader
      default:
        parts.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    }
  }
  return parts.join(' · ') || '–'
}

/** The hearing's audit log (secretariat only), newest first. */
export function AuditLog(props: { hearingId: number; refreshKey: number; committees: CommitteeRef[] }) {
  const committees = new Map(props.committees.map((c) => [c.id, c]))
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
                  <td class="detail">{describe(e.detail, committees)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
