// The logged-in user, shared by every page through a context.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Session, User } from './api'

export interface SessionState {
  session: Session | null
  setSession: (s: Session | null) => void
}

export const SessionContext = createContext<SessionState>({
  session: null,
  setSession: () => {},
})

export function useSession(): SessionState {
  return useContext(SessionContext)
}

/** The logged-in user; pages behind login may rely on it. */
export function useUser(): User {
  const { session } = useSession()
  if (!session) throw new Error('useUser outside a logged-in page')
  return session.user
}
