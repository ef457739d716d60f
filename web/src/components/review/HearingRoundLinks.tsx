import { useEffect, useState } from 'preact/hooks'
import type { Hearing } from '../../api'
import { formatDateTime } from '../../format'
import { type RecordData, roundApi } from '../../round-api'
import { Link } from '../Link'

/**
 * The hearing page's way on to the joint response's review and, once frozen, the record:
 * the review for whoever may read it or share it (`Hearing.can.review`, `can.share`: the chairs
 * already while consolidating, to share the first draft), the record for everyone who sees the
 * hearing.
 */
export function HearingRoundLinks(props: { hearing: Hearing }) {
  const h = props.hearing
  const [record, setRecord] = useState<RecordData | null>(null)

  useEffect(() => {
    if (h.state !== 'frozen') return
    roundApi.recordOfHearing(h.id).then(setRecord, () => setRecord(null))
  }, [h.id, h.state])

  // The server says who may share the joint response and who may read its review.
  const review = h.can.review || h.can.share
  if (!review && !record) return null
  return (
    <section aria-labelledby="joint-heading" data-testid="joint-links">
      <h2 id="joint-heading">Det fælles høringssvar fra HMU</h2>
      <ul class="plain">
        {record && (
          <li>
            <Link href={`/poster/${record.id}`}>Det endelige høringssvar</Link>{' '}
            <span class="muted">(gjort endeligt {formatDateTime(record.frozen_at)}, med SHA-256 og bilag)</span>
          </li>
        )}
        {review && (
          <li>
            <Link href={`/hoeringer/${h.id}/gennemsyn`}>
              {h.state === 'consolidating' ? 'Del udkastet med HMU (gennemsyn og godkendelse)' : 'Gennemsyn og godkendelse'}
            </Link>
          </li>
        )}
      </ul>
    </section>
  )
}
