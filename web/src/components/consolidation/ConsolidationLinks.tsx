import type { Hearing } from '../../api'
import { Link } from '../Link'
import { workspaceHref } from './common'

/**
 * On the hearing page: the way to the consolidation workspace for whoever may consolidate now
 * (the HMU chairs while they build the joint response), and to the provenance report for the
 * HMU and the secretariat once they may read the joint response — as the server's
 * `Hearing.can` says.
 */
export function ConsolidationLinks(props: { hearing: Hearing }) {
  const h = props.hearing
  const workspace = h.can.consolidate
  const report = h.can.report
  if (!workspace && !report) return null
  return (
    <section aria-labelledby="consolidation-heading" data-testid="consolidation-links">
      <h2 id="consolidation-heading">Samling af LMU’ernes svar</h2>
      <ul class="plain">
        {workspace && (
          <li>
            <Link href={workspaceHref(h.id)}>Saml høringssvarene til det fælles høringssvar</Link>
          </li>
        )}
        {report && (
          <li>
            <Link href={`/hoeringer/${h.id}/proveniens`}>Proveniensrapport: hvilke LMU-punkter svaret afspejler</Link>
          </li>
        )}
      </ul>
    </section>
  )
}
