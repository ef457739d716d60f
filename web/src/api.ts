// The HTTP API client (docs/api.md). Every request goes through `request`, which sends the CSRF
// token on state-changing methods and turns problem+json errors into ApiError with the server's
// Danish `detail`.

export interface CommitteeRef {
  id: number
  name: string
  short_name: string
  kind: 'main' | 'local'
}
export interface Committee extends CommitteeRef {
  parent_id: number | null
}
export interface User {
  id: number
  name: string
  email: string
  secretariat: boolean
  memberships: { committee: CommitteeRef; role: Role }[]
}
export interface Session {
  user: User
  csrf_token: string
}
export type HearingState =
  | 'draft'
  | 'collecting'
  | 'consolidating'
  | 'in_review'
  | 'approved'
  | 'frozen'
/** The board's statuses; a response itself is 'draft' or 'submitted' (with `late`). */
export type ResponseStatus = 'not_started' | 'in_progress' | 'submitted' | 'submitted_late' | 'draft'
export interface PersonRef {
  id: number
  name: string
}
export interface HearingSummary {
  id: number
  title: string
  issuing_body: string
  state: HearingState
  lmu_deadline: string
  hmu_deadline: string
  committee: CommitteeRef
  my_responses: { id: number; committee: CommitteeRef; status: ResponseStatus }[]
}
export interface HearingFile {
  id: number
  name: string
  content_type: string
  size: number
  sha256: string
  uploaded_at: string
  uploaded_by: PersonRef
}
export interface Hearing extends HearingSummary {
  description: string
  created_at: string
  invited: CommitteeRef[]
  files: HearingFile[]
  joint_document_id: string | null
  /** What the current user may do now (the server decides; the app does not work out roles). */
  can: {
    edit: boolean
    open: boolean
    close: boolean
    upload: boolean
    audit: boolean
    /** Work in the consolidation workspace (the HMU chairs, while the joint response is editable). */
    consolidate: boolean
    /** Share the joint response with the HMU for review. */
    share: boolean
    /** Read the review of the joint response (once it is shared; the HMU and the secretariat). */
    review: boolean
    /** Read the provenance report (the HMU and the secretariat). */
    report: boolean
  }
}
/** What changed, from the hearing's live events: its state, responses, comments, positions and
 *  approvals ("hearing"), or only the joint response's text ("text"). */
export type HearingChange = 'hearing' | 'text'
export interface BoardRow {
  committee: CommitteeRef
  response_id: number | null
  status: ResponseStatus
  last_edit_at: string | null
  editing_now: string[]
  submitted_at: string | null
  submitted_by: PersonRef | null
  can_open: boolean
}
export interface Board {
  hearing_id: number
  state: HearingState
  lmu_deadline: string
  rows: BoardRow[]
}
export interface AuditEntry {
  id: number
  at: string
  user: PersonRef | null
  action: string
  hearing_id: number | null
  detail: Record<string, unknown>
}
export interface LmuResponse {
  id: number
  hearing: { id: number; title: string; state: HearingState; lmu_deadline: string }
  committee: CommitteeRef
  document_id: string
  status: ResponseStatus
  late?: boolean
  submitted_at: string | null
  submitted_by: PersonRef | null
  submitted_version_id: number | null
  access: 'rw' | 'ro'
  can: { submit: boolean; reopen: boolean }
}
export interface ApiToken {
  id: number
  name: string
  created_at: string
  last_used_at: string | null
}
/** Anyone with a login (GET /api/users, secretariat only). */
export interface Person {
  id: number
  name: string
  email: string
  secretariat: boolean
}
export type Role = 'member' | 'chair'
/** A committee's member (GET /api/committees/{id}/members). */
export interface Member {
  user: PersonRef
  email: string
  role: Role
}
export interface NewPerson {
  name: string
  email: string
  password: string
  secretariat: boolean
}
export interface NewHearing {
  committee_id: number
  title: string
  issuing_body: string
  description: string
  lmu_deadline: string
  hmu_deadline: string
  invited: number[]
}

/** An error answer from the API; `message` is the Danish sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly title?: string,
  ) {
    super(message)
  }
}

let csrfToken: string | null = null
let onUnauthorized: (() => void) | null = null

export function setCsrfToken(token: string | null) {
  csrfToken = token
}

/** Called when a request answers 401 while the app believed it was logged in. */
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler
}

const fallbackMessages: Record<number, string> = {
  400: 'Forespørgslen var ugyldig.',
  401: 'Du er ikke logget ind.',
  403: 'Du har ikke adgang.',
  404: 'Siden eller dataene findes ikke, eller du har ikke adgang til dem.',
  409: 'Handlingen er ikke mulig i den nuværende tilstand.',
  413: 'Filen eller indholdet er for stort.',
  415: 'Filtypen understøttes ikke.',
  422: 'Nogle felter er ikke udfyldt korrekt.',
  429: 'For mange forsøg. Vent lidt, og prøv igen.',
}

/** The server's detail as a sentence: capital first letter, closing full stop. */
function sentence(s: string | undefined): string | undefined {
  const t = s?.trim()
  if (!t) return undefined
  const first = t.charAt(0).toLocaleUpperCase('da-DK') + t.slice(1)
  return /[.!?]$/.test(first) ? first : `${first}.`
}

export async function errorFrom(res: Response): Promise<ApiError> {
  let detail: string | undefined
  let title: string | undefined
  try {
    const body = await res.json()
    detail = typeof body?.detail === 'string' ? body.detail : undefined
    title = typeof body?.title === 'string' ? body.title : undefined
  } catch {
    // not JSON: fall back to a generic sentence
  }
  const message =
    sentence(detail) ||
    fallbackMessages[res.status] ||
    (res.status >= 500
      ? 'Der opstod en fejl på serveren. Prøv igen om lidt.'
      : `Uventet svar fra serveren (${res.status}).`)
  return new ApiError(res.status, message, title)
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let payload: BodyInit | undefined
  if (body instanceof FormData) {
    payload = body
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken
  }
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'Kunne ikke kontakte serveren. Tjek forbindelsen, og prøv igen.')
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized()
    throw await errorFrom(res)
  }
  if (res.status === 204) return undefined as T
  const type = res.headers.get('Content-Type') ?? ''
  if (!type.includes('json')) return undefined as T
  return (await res.json()) as T
}

export const api = {
  session: () => request<Session>('GET', '/api/session', undefined, { quiet401: true }),
  login: (email: string, password: string) =>
    request<Session>('POST', '/api/session', { email, password }, { quiet401: true }),
  logout: () => request<void>('DELETE', '/api/session'),

  tokens: () => request<ApiToken[]>('GET', '/api/tokens'),
  createToken: (name: string) =>
    request<{ id: number; name: string; token: string }>('POST', '/api/tokens', { name }),
  revokeToken: (id: number) => request<void>('DELETE', `/api/tokens/${id}`),

  committees: () => request<Committee[]>('GET', '/api/committees'),
  members: (committeeId: number) => request<Member[]>('GET', `/api/committees/${committeeId}/members`),
  setMembership: (committeeId: number, userId: number, role: Role) =>
    request<void>('PUT', `/api/committees/${committeeId}/members/${userId}`, { role }),
  removeMembership: (committeeId: number, userId: number) =>
    request<void>('DELETE', `/api/committees/${committeeId}/members/${userId}`),
  users: () => request<Person[]>('GET', '/api/users'),
  createUser: (p: NewPerson) => request<Person>('POST', '/api/users', p),

  hearings: () => request<HearingSummary[]>('GET', '/api/hearings'),
  hearing: (id: number) => request<Hearing>('GET', `/api/hearings/${id}`),
  createHearing: (h: NewHearing) => request<Hearing>('POST', '/api/hearings', h),
  openHearing: (id: number) => request<unknown>('POST', `/api/hearings/${id}/open`),
  closeHearing: (id: number) => request<unknown>('POST', `/api/hearings/${id}/close`),
  uploadFile: (id: number, file: File) => {
    const form = new FormData()
    form.append('file', file, file.name)
    return request<HearingFile>('POST', `/api/hearings/${id}/files`, form)
  },
  deleteFile: (id: number, fileId: number) =>
    request<void>('DELETE', `/api/hearings/${id}/files/${fileId}`),
  fileUrl: (id: number, fileId: number) => `/api/hearings/${id}/files/${fileId}`,
  board: (id: number) => request<Board>('GET', `/api/hearings/${id}/board`),
  boardEventsUrl: (id: number) => `/api/hearings/${id}/board/events`,
  /** Server-Sent Events: `changed` with `{"what": HearingChange}` whenever anything of the hearing changes. */
  hearingEventsUrl: (id: number) => `/api/hearings/${id}/events`,
  audit: (id: number) => request<AuditEntry[]>('GET', `/api/hearings/${id}/audit`),

  response: (id: number) => request<LmuResponse>('GET', `/api/responses/${id}`),
  submitResponse: (id: number) => request<unknown>('POST', `/api/responses/${id}/submit`),
  reopenResponse: (id: number) => request<unknown>('POST', `/api/responses/${id}/reopen`),
}

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return 'Der opstod en uventet fejl. Genindlæs siden, og prøv igen.'
}
