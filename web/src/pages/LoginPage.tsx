import { useState } from 'preact/hooks'
import { api, setCsrfToken } from '../api'
import { ErrorMessage } from '../components/ErrorMessage'
import { PageHeading } from '../components/PageHeading'
import { navigate, useLocation } from '../router'
import { useSession } from '../session'

/** Only same-app paths are followed after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}

export function LoginPage() {
  const { setSession } = useSession()
  const { search } = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const s = await api.login(email.trim(), password)
      setCsrfToken(s.csrf_token)
      setSession(s)
      navigate(safeNext(search.get('next')), { replace: true })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <section class="narrow">
      <PageHeading title="Log ind" />
      <p>Log ind med din e-mailadresse og din adgangskode til Samskriv.</p>
      <ErrorMessage error={error} />
      <form onSubmit={submit} class="form">
        <div class="field">
          <label for="login-email">E-mail</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">Adgangskode</label>
          <input
            id="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Logger ind…' : 'Log ind'}
        </button>
      </form>
    </section>
  )
}
