import type { Hearing, User } from '../../api'
import { Link } from '../Link'
import { consolidationOpen, isHmuChair, isHmuMember, workspaceHref } from './common'

/**
 * On the hearing page: the way to the consolidation workspace for the HMU chairs while they
 * build the joint response, and to the provenance report for whoever may read the joint response.
 */
export function ConsolidationLinks(props: { hearing: Hearing; user: User }) {
  const h = props.hearing
  const chair = isHmuChair(props.user, h.committee.id)
  const shared = h.state === 'in_review' || h.state === 'approved' || h.state === 'frozen'
  const workspace = chair && consolidationOpen(h.state)
  const report = (chair && h.state !== 'draft' && h.state !== 'collecting') || (isHmuMember(props.user, h.committee.id) && shared)
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
