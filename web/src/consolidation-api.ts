// The HTTP API of the consolidation (docs/api.md: "Consolidation (the HMU chairs)" and
// "Versions, diffs and exports"): the chairs' workspace, taking passages, the provenance report,
// the joint response's versions and diffs, and sharing it for review. Kept apart from api.ts,
// whose `request` it uses, so that these pages bring their own types.
import { ApiError, type CommitteeRef, errorFrom, type HearingState, type PersonRef, request } from './api'

// ---- The document model (server/model) ----

export type BlockKind =
  | { type: 'heading'; level: number }
  | { type: 'paragraph' }
  | { type: 'list_item'; ordered: boolean; depth: number }
  | { type: 'quote' }

/** Where a passage of the joint response was taken from: LMU short name, version id, block index. */
export interface ProvenanceRef {
  committee: string
  version: number
  block: number
}
export interface Marks {
  bold?: boolean
  italic?: boolean
  provenance?: ProvenanceRef
}
export interface Inline {
  text: string
  marks?: Marks
}
/** A block as the API sends it: the kind flattened into the block (`type`, `level`, …). */
export type Block = BlockKind & { inlines: Inline[] }
export interface Blocks {
  blocks: Block[]
}

export function blockText(b: Block): string {
  return b.inlines.map((i) => i.text).join('')
}

// ---- The workspace ----

export interface Section {
  /** The heading's block index in the joint draft, if the section has one. */
  heading?: number
  title: string
  /** The joint draft's blocks `start..end` (heading included). */
  start: number
  end: number
}
export interface BlockAlignment {
  block: number
  /** The most similar section (index into `sections`), if any shares content. */
  section?: number
  section_similarity: number
  /** The most similar block of the joint draft, if any shares content. */
  joint_block?: number
  block_similarity: number
}
export interface WorkspaceResponse {
  response_id: number
  committee: CommitteeRef
  version_id: number
  submitted_at: string | null
  late: boolean
  blocks: Blocks
  alignment: { committee: string; version: number; blocks: BlockAlignment[] } | null
}
export interface Workspace {
  hearing_id: number
  state: HearingState
  joint_document_id: string
  joint: Blocks
  sections: Section[]
  responses: WorkspaceResponse[]
  can_edit: boolean
}

// ---- The provenance report ----

export interface MarkedSource {
  committee: string
  version: number
  block: number
  /** Characters of the paragraph carrying this mark. */
  chars: number
  /** Their share of the paragraph (0–1). */
  share: number
  /** How similar the marked text still is to the source block (0–1), when reworded. */
  similarity?: number
}
export interface SimilarSource {
  committee: string
  version: number
  block: number
  similarity: number
}
export interface BlockSources {
  index: number
  kind: BlockKind
  chars: number
  marked: MarkedSource[]
  unmarked_chars: number
  similar: SimilarSource[]
  /** The LMUs the paragraph draws on, by mark or by similarity. */
  committees: string[]
}
export interface Reflection {
  joint_block: number
  how: 'mark' | 'similarity'
  similarity: number
}
export interface Point {
  block: number
  kind: BlockKind
  text: string
  reflected: boolean
  by: Reflection[]
}
export interface Coverage {
  committee: string
  version: number
  points: number
  reflected: number
  /** "SBU: 4 af 6 punkter afspejlet" */
  text: string
  items: Point[]
  unreflected: number[]
}
export interface ProvenanceReport {
  hearing_id: number
  joint_document_id: string
  joint: Blocks
  report: {
    /** The similarity from which a point counts as reflected (0–1). */
    threshold: number
    blocks: BlockSources[]
    committees: Coverage[]
  }
}

// ---- Versions and diffs ----

export interface VersionSummary {
  id: number
  document_id: string
  number: number
  name: string
  kind: 'named' | 'submitted' | 'shared' | 'frozen'
  created_at: string
  created_by: PersonRef | null
}
export interface DiffSpan {
  op: 'equal' | 'inserted' | 'deleted'
  text: string
  marks?: Marks
  old_marks?: Marks
  author?: string
}
export type ChangeKind = 'unchanged' | 'inserted' | 'deleted' | 'changed' | 'moved' | 'moved_away'
export interface DiffEntry {
  change: ChangeKind
  old_index?: number
  new_index?: number
  kind: BlockKind
  old_kind?: BlockKind
  spans?: DiffSpan[]
  similarity?: number
}
export interface Diff {
  entries: DiffEntry[]
  summary: {
    unchanged: number
    inserted: number
    deleted: number
    changed: number
    moved: number
    words_inserted: number
    words_deleted: number
    text: string
  }
}

const doc = (id: string) => `/api/documents/${encodeURIComponent(id)}`

export const consolidationApi = {
  workspace: (hearing: number) => request<Workspace>('GET', `/api/hearings/${hearing}/consolidation`),
  /** Takes blocks of a submitted response into the joint response after block `after` (null: first). */
  takePassage: (hearing: number, responseId: number, blocks: number[], after: number | null) =>
    request<{ inserted: number }>('POST', `/api/hearings/${hearing}/passages`, {
      response_id: responseId,
      blocks,
      after_block: after,
    }),
  provenance: (hearing: number) => request<ProvenanceReport>('GET', `/api/hearings/${hearing}/provenance`),
  share: (hearing: number, name?: string) =>
    request<{ version_id: number }>('POST', `/api/hearings/${hearing}/share`, name ? { name } : {}),

  versions: (documentId: string) => request<VersionSummary[]>('GET', `${doc(documentId)}/versions`),
  createVersion: (documentId: string, name: string) =>
    request<VersionSummary>('POST', `${doc(documentId)}/versions`, { name }),
  diff: (documentId: string, from: number) =>
    request<Diff>('GET', `${doc(documentId)}/diff?from=${from}&to=live&format=json`),
  /** The accessible HTML rendering of the same diff (server-escaped). */
  diffHtml: async (documentId: string, from: number): Promise<string> => {
    let res: Response
    try {
      res = await fetch(`${doc(documentId)}/diff?from=${from}&to=live&format=html`, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      })
    } catch {
      throw new ApiError(0, 'Kunne ikke kontakte serveren. Tjek forbindelsen, og prøv igen.')
    }
    if (!res.ok) throw await errorFrom(res)
    return res.text()
  },
}
