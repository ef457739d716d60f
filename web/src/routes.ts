// Every page of the app: add a page by adding a line here (and its component in pages/).
import type { ComponentType } from 'preact'
import { AccountPage } from './pages/AccountPage'
import { CommitteesPage } from './pages/CommitteesPage'
import { ConsolidationPage } from './pages/ConsolidationPage'
import { HearingPage } from './pages/HearingPage'
import { HearingsPage } from './pages/HearingsPage'
import { LoginPage } from './pages/LoginPage'
import { MeetingPage } from './pages/MeetingPage'
import { MeetingsPage } from './pages/MeetingsPage'
import { NewHearingPage } from './pages/NewHearingPage'
import { ProvenancePage } from './pages/ProvenancePage'
import { RecordPage } from './pages/RecordPage'
import { ResponsePage } from './pages/ResponsePage'
import { ReviewPage } from './pages/ReviewPage'
import type { Route } from './router'

export interface PageDef {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: ComponentType<{ params: any }>
  /** Public pages are shown without login; the rest send the visitor to /logind first. */
  public?: boolean
}

export const routes: Route<PageDef>[] = [
  { pattern: '/logind', page: { component: LoginPage, public: true } },
  { pattern: '/', page: { component: HearingsPage } },
  { pattern: '/hoeringer/ny', page: { component: NewHearingPage } },
  { pattern: '/hoeringer/:id/samling', page: { component: ConsolidationPage } },
  { pattern: '/hoeringer/:id/proveniens', page: { component: ProvenancePage } },
  { pattern: '/hoeringer/:id', page: { component: HearingPage } },
  { pattern: '/svar/:id', page: { component: ResponsePage } },
  { pattern: '/konto', page: { component: AccountPage } },
  { pattern: '/hoeringer/:id/gennemsyn', page: { component: ReviewPage } },
  { pattern: '/poster/:id', page: { component: RecordPage } },
  { pattern: '/moeder', page: { component: MeetingsPage } },
  { pattern: '/moeder/:id', page: { component: MeetingPage } },
  { pattern: '/udvalg', page: { component: CommitteesPage } },
]
