import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, ApiError, type Session, setCsrfToken, setUnauthorizedHandler } from './api'
import { ErrorMessage } from './components/ErrorMessage'
import { Layout } from './components/Layout'
import { Loading } from './components/Loading'
import { NotFoundPage } from './pages/NotFoundPage'
import { routes } from './routes'
import { match, navigate, useLocation } from './router'
import { SessionContext } from './session'

export function App() {
  // undefined while the session is being fetched; null when logged out
  const [session, setSessionState] = useState<Session | null | undefined>(undefined)
  const [loadError, setLoadError] = useState<unknown>(null)
  const { path } = useLocation()

  const setSession = (s: Session | null) => {
    setCsrfToken(s?.csrf_token ?? null)
    setSessionState(s)
  }

  useEffect(() => {
    api.session().then(setSession, (e) => {
      if (e instanceof ApiError && e.status === 401) setSession(null)
      else setLoadError(e)
    })
    setUnauthorizedHandler(() => {
      setSession(null)
    })
  }, [])

  const route = match(routes, path)
  const needsLogin = session === null && route && !route.page.public

  useEffect(() => {
    if (needsLogin) {
      const next = window.location.pathname + window.location.search
      navigate(`/logind${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, { replace: true })
    } else if (session && path === '/logind') {
      navigate('/', { replace: true })
    }
  }, [needsLogin, session, path])

  const ctx = useMemo(() => ({ session: session ?? null, setSession }), [session])

  let body
  if (loadError) body = <ErrorMessage error={loadError} />
  else if (session === undefined || needsLogin) body = <Loading what="siden" />
  else if (!route) body = <NotFoundPage />
  else {
    const Page = route.page.component
    body = <Page key={path} params={route.params} />
  }

  return (
    <SessionContext.Provider value={ctx}>
      <Layout session={session ?? null} path={path}>
        {body}
      </Layout>
    </SessionContext.Provider>
  )
}
