// The HTTP API of the round's last part (docs/api.md: "Review, approval and the record",
// "Meetings and minutes"): the HMU's review of the joint response, the chairs' approval, the
// frozen record and the meetings it is filed with. Kept apart from api.ts, whose `request` it
// uses, so that the pages of this part bring their own types.
import { type CommitteeRef, type HearingState, type PersonRef, request } from './api'
import type { BlockKind, ChangeKind, Diff, Marks, VersionSummary } from './consolidation-api'

// ---- Diffs and blocks (server/model): the same types as the consolidation's ----

export type {
  BlockKind,
  ChangeKind,
  Diff,
  DiffEntry,
  DiffSpan as Span,
  Marks,
  ProvenanceRef as Provenance,
  VersionSummary,
} from './consolidation-api'

export interface Block {
  type: BlockKind['type']
  level?: number
  ordered?: boolean
  depth?: number
  inlines: { text: string; marks?: Marks }[]
}

// ---- Review and approval ----

export interface SharedVersion {
  id: number
  number: number
  name: string
  created_at: string
  created_by: PersonRef | null
}
export interface ReviewChange {
  /** Names the change for positions. */
  key: string
  /** Its entry in `changes_diff`. */
  entry: number
  change: ChangeKind
  summary: string
  agree: PersonRef[]
  object: PersonRef[]
  /** "Navn: bemærkning" */
  notes: string[]
  mine: 'agree' | 'object' | null
}
export interface Comment {
  id: number
  version_id: number | null
  /** Y.encodeRelativePosition, base64. */
  anchor_start: string | null
  anchor_end: string | null
  quote: string
  body: string
  author: PersonRef
  created_at: string
  resolved: boolean
  resolved_by: PersonRef | null
  resolved_at: string | null
  resolution: string | null
}
export interface Approval {
  rule: { kind: 'all' } | { kind: 'quorum'; chairs: number }
  /** "alle 2 i formandskabet skal godkende" */
  rule_text: string
  needed: number
  version_id: number | null
  chairs: { chair: PersonRef; approved_at: string | null }[]
  met: boolean
  /** Newest first. */
  voided: { chair: PersonRef; version_id: number; approved_at: string; voided_at: string; reason: string }[]
}
export interface Review {
  hearing_id: number
  state: HearingState
  joint_document_id: string
  versions: SharedVersion[]
  current: SharedVersion | null
  base: SharedVersion | null
  since: 'last_seen' | 'previous_shared' | 'none'
  /** The shared version the caller last marked as seen. */
  seen_version_id: number | null
  /** The live text has changed since the current shared version (so it cannot be approved as it is). */
  live_differs: boolean
  diff: Diff | null
  changes: ReviewChange[]
  changes_diff: Diff | null
  comments: Comment[]
  approval: Approval
  can: { comment: boolean; position: boolean; resolve: boolean; share: boolean; approve: boolean; freeze: boolean }
}
export interface NewComment {
  version_id?: number
  anchor_start?: string
  anchor_end?: string
  quote: string
  body: string
}

// ---- The frozen record ----

export interface RecordData {
  id: number
  hearing_id: number
  title: string
  version_id: number
  /** The canonical form the hash is taken over ("samskriv-html-1"). */
  form: string
  sha256: string
  /** The canonical HTML (server-generated). */
  html: string
  blocks: { blocks: Block[] }
  approved_by: { id: number; name: string; at: string }[]
  frozen_at: string
  frozen_by: PersonRef | null
  /** The LMU responses it was based on: committee short name, submitted version, when and by whom. */
  responses: {
    committee: string
    version_id: number
    late: boolean
    submitted_at: string | null
    submitted_by: PersonRef | null
  }[]
  /** The agenda item it is filed with: the meeting's date (YYYY-MM-DD) and committee (its name). */
  filed: {
    meeting_id: number
    meeting_date: string
    committee: string
    agenda_item_id: number
    number: number
    title: string
  }[]
}
/** A record in the list of those the caller may read (GET /api/records), newest first. */
export interface RecordSummary {
  id: number
  hearing_id: number
  title: string
  sha256: string
  frozen_at: string
  /** Filed with a meeting's agenda item already. */
  filed: boolean
}
export interface Verification {
  record_id: number
  ok: boolean
  sha256: string
  detail: string | null
}
export type ExportFormat = 'pdf' | 'docx' | 'html' | 'md'

// ---- Meetings ----

export interface MeetingSummary {
  id: number
  committee: CommitteeRef
  /** YYYY-MM-DD */
  date: string
  /** HH:MM */
  start_time: string | null
  end_time: string | null
  place: string
  minutes: boolean
}
export interface Attachment {
  id: number
  title: string
  kind: 'record' | 'version' | 'file'
  record_id: number | null
  version_id: number | null
  children: Attachment[]
}
export interface AgendaItem {
  id: number
  number: number
  title: string
  time_start: string | null
  time_end: string | null
  case_number: string
  recommendation: string[]
  presentation: string
  decision: string
  attachments: Attachment[]
}
export interface Meeting extends MeetingSummary {
  initials: string
  items: AgendaItem[]
  can_edit: boolean
}
export interface MeetingFields {
  committee_id?: number
  date: string
  start_time: string | null
  end_time: string | null
  place: string
  initials: string
}
export interface ItemFields {
  title: string
  time_start: string | null
  time_end: string | null
  case_number: string
  recommendation: string[]
  presentation: string
  decision: string
}

export const roundApi = {
  review: (hearingId: number) => request<Review>('GET', `/api/hearings/${hearingId}/review`),
  markSeen: (hearingId: number, versionId: number) =>
    request<void>('POST', `/api/hearings/${hearingId}/review/seen`, { version_id: versionId }),
  comment: (hearingId: number, c: NewComment) =>
    request<Comment>('POST', `/api/hearings/${hearingId}/comments`, c),
  resolve: (hearingId: number, commentId: number, resolution: string) =>
    request<void>('POST', `/api/hearings/${hearingId}/comments/${commentId}/resolve`, { resolution }),
  position: (hearingId: number, versionId: number, changeKey: string, position: 'agree' | 'object', note: string) =>
    request<void>('POST', `/api/hearings/${hearingId}/positions`, {
      version_id: versionId,
      change_key: changeKey,
      position,
      note,
    }),
  share: (hearingId: number, name?: string) =>
    request<{ version_id: number }>('POST', `/api/hearings/${hearingId}/share`, name ? { name } : {}),
  approve: (hearingId: number, versionId: number) =>
    request<void>('POST', `/api/hearings/${hearingId}/approve`, { version_id: versionId }),
  freeze: (hearingId: number) => request<{ record_id: number }>('POST', `/api/hearings/${hearingId}/freeze`),

  recordOfHearing: (hearingId: number) => request<RecordData>('GET', `/api/hearings/${hearingId}/record`),
  record: (id: number) => request<RecordData>('GET', `/api/records/${id}`),
  records: () => request<RecordSummary[]>('GET', '/api/records'),
  verify: (id: number) => request<Verification>('GET', `/api/records/${id}/verify`),
  recordExportUrl: (id: number, format: ExportFormat) => `/api/records/${id}/export?format=${format}`,
  fileRecord: (id: number, agendaItemId: number) =>
    request<{ attachments: number[] }>('POST', `/api/records/${id}/file`, { agenda_item_id: agendaItemId }),
  /** What changed from a version to another, or to the live text. */
  diff: (documentId: string, from: number, to: number | 'live') =>
    request<Diff>('GET', `/api/documents/${encodeURIComponent(documentId)}/diff?from=${from}&to=${to}&format=json`),
  version: (id: number) => request<VersionSummary>('GET', `/api/versions/${id}`),
  versionExportUrl: (id: number, format: ExportFormat) => `/api/versions/${id}/export?format=${format}`,

  meetings: () => request<MeetingSummary[]>('GET', '/api/meetings'),
  meeting: (id: number) => request<Meeting>('GET', `/api/meetings/${id}`),
  createMeeting: (m: MeetingFields) => request<Meeting>('POST', '/api/meetings', m),
  updateMeeting: (id: number, m: MeetingFields & { minutes: boolean }) =>
    request<Meeting>('PUT', `/api/meetings/${id}`, m),
  addItem: (meetingId: number, i: ItemFields) =>
    request<AgendaItem>('POST', `/api/meetings/${meetingId}/items`, i),
  updateItem: (id: number, i: ItemFields) => request<AgendaItem>('PUT', `/api/agenda-items/${id}`, i),
  meetingDocumentUrl: (id: number, kind: 'agenda' | 'minutes', format: 'html' | 'pdf') =>
    `/api/meetings/${id}/document?kind=${kind}&format=${format}`,
  attachmentUrl: (id: number, format: ExportFormat) => `/api/attachments/${id}?format=${format}`,
}
