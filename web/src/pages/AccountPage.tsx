import { useEffect, useState } from 'preact/hooks'
import { api, setCsrfToken, type ApiToken } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { formatDateTime, roleLabel } from '../format'
import { navigate } from '../router'
import { useSession, useUser } from '../session'

export function AccountPage() {
  const user = useUser()
  const { setSession } = useSession()
  const [tokens, setTokens] = useState<ApiToken[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [name, setName] = useState('')
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null)
  const [revoking, setRevoking] = useState<ApiToken | null>(null)
  const [message, setMessage] = useState('')

  const load = () => api.tokens().then(setTokens, setError)
  useEffect(() => {
    load()
  }, [])

  const create = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setMessage('')
    try {
      const t = await api.createToken(name.trim())
      setCreated({ name: t.name, token: t.token })
      setName('')
      load()
    } catch (err) {
      setError(err)
    }
  }

  const logout = async () => {
    try {
      await api.logout()
    } catch {
      // logged out already, or the server is gone: the app forgets the session either way
    }
    setCsrfToken(null)
    setSession(null)
    navigate('/logind', { replace: true })
  }

  return (
    <section>
      <PageHeading title="Konto" />
      <dl class="facts">
        <div>
          <dt>Navn</dt>
          <dd>{user.name}</dd>
        </div>
        <div>
          <dt>E-mail</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Roller</dt>
          <dd>
            {[
              ...(user.secretariat ? ['sekretariat'] : []),
              ...user.memberships.map((m) => `${roleLabel(m.role)} af ${m.committee.name}`),
            ].join(', ') || '–'}
          </dd>
        </div>
      </dl>
      <p>
        <button type="button" class="button" onClick={logout}>
          Log ud
        </button>
      </p>

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Personlige API-nøgler</h2>
        <p>
          En API-nøgle lader et script bruge Samskriv på dine vegne med dine rettigheder. Nøglen
          vises kun én gang, når du opretter den.
        </p>
        <ErrorMessage error={error} />
        <div role="status">
          {created && (
            <div class="notice notice--success">
              <p>
                Nøglen “{created.name}” er oprettet. Kopiér den nu – den vises ikke igen.
              </p>
              <label for="new-token">Ny API-nøgle</label>
              <input id="new-token" class="token" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
            </div>
          )}
          {message}
        </div>
        <form class="form form--inline" onSubmit={create}>
          <div class="field">
            <label for="token-name">Navn på nøglen</label>
            <input id="token-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button">
            Opret API-nøgle
          </button>
        </form>
        {!tokens && !error && <Loading what="nøgler" />}
        {tokens && tokens.length === 0 && <p>Du har ingen API-nøgler.</p>}
        {tokens && tokens.length > 0 && (
          <div class="table-wrap">
            <table class="table" data-testid="tokens">
              <caption class="visually-hidden">Dine API-nøgler</caption>
              <thead>
                <tr>
                  <th scope="col">Navn</th>
                  <th scope="col">Oprettet</th>
                  <th scope="col">Sidst brugt</th>
                  <th scope="col">
                    <span class="visually-hidden">Handlinger</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>{formatDateTime(t.created_at)}</td>
                    <td>{t.last_used_at ? formatDateTime(t.last_used_at) : 'aldrig'}</td>
                    <td>
                      <button type="button" class="button button--small" onClick={() => setRevoking(t)}>
                        Tilbagekald <span class="visually-hidden">{t.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title="Tilbagekald API-nøglen?"
        confirmLabel="Tilbagekald"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return
          await api.revokeToken(revoking.id)
          setCreated(null)
          await load()
          setMessage(`Nøglen “${revoking.name}” er tilbagekaldt.`)
        }}
      >
        <p>Scripts, der bruger nøglen “{revoking?.name}”, mister adgangen med det samme.</p>
      </ConfirmDialog>
    </section>
  )
}
