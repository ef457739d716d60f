import type { ComponentChildren } from 'preact'
import type { Session } from '../api'
import { Link } from './Link'

export function Layout(props: { session: Session | null; path: string; children: ComponentChildren }) {
  const { session, path } = props
  const current = (p: string) => (path === p ? ('page' as const) : undefined)
  return (
    <>
      <a class="skip-link" href="#indhold">
        Spring til indhold
      </a>
      <header class="site-header">
        <div class="site-header__inner">
          <Link href="/" class="brand">
            Samskriv
          </Link>
          {session && (
            <nav aria-label="Hovedmenu">
              <ul>
                <li>
                  <Link href="/" aria-current={current('/')}>
                    Mine høringer
                  </Link>
                </li>
                {session.user.secretariat && (
                  <li>
                    <Link href="/hoeringer/ny" aria-current={current('/hoeringer/ny')}>
                      Ny høring
                    </Link>
                  </li>
                )}
                <li>
                  <Link href="/moeder" aria-current={current('/moeder')}>
                    Møder
                  </Link>
                </li>
                {session.user.secretariat && (
                  <li>
                    <Link href="/udvalg" aria-current={current('/udvalg')}>
                      Udvalg og medlemmer
                    </Link>
                  </li>
                )}
                <li>
                  <Link href="/konto" aria-current={current('/konto')}>
                    Konto <span class="user-name">({session.user.name})</span>
                  </Link>
                </li>
              </ul>
            </nav>
          )}
        </div>
      </header>
      <main id="indhold" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="site-footer">
        <p>Samskriv – høringssvar i MED-systemet, skrevet sammen.</p>
      </footer>
    </>
  )
}
