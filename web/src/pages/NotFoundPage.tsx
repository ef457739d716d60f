import { Link } from '../components/Link'
import { PageHeading } from '../components/PageHeading'

export function NotFoundPage() {
  return (
    <section>
      <PageHeading title="Siden findes ikke" />
      <p>Adressen passer ikke til nogen side i Samskriv.</p>
      <p>
        <Link href="/">Gå til Mine høringer</Link>
      </p>
    </section>
  )
}
