// Danish words for the review, the record and the meetings (format.ts has the rest).
import type { BlockKind, ChangeKind } from './round-api'

const MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
]

/** "2023-09-25" → "25. september 2023" (a meeting's date is a local date, no zone). */
export function formatMeetingDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) return iso
  return `${Number(m[3])}. ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`
}

/** "14:05" → "14.05", as the seeds write times. */
export function formatClock(t: string | null | undefined): string {
  return t ? t.replace(':', '.') : ''
}

/** "(kl. 14.05-14.30)" as in the seeds' agendas; empty without a time. */
export function formatTimeSlot(start: string | null, end: string | null): string {
  if (start && end) return `(kl. ${formatClock(start)}-${formatClock(end)})`
  if (start) return `(kl. ${formatClock(start)})`
  return ''
}

export const changeLabel: Record<ChangeKind, string> = {
  unchanged: 'Uændret',
  inserted: 'Nyt afsnit',
  deleted: 'Slettet afsnit',
  changed: 'Ændret afsnit',
  moved: 'Flyttet afsnit',
  moved_away: 'Flyttet herfra',
}

/** A symbol per kind of change, so a change is never told by colour alone. */
export const changeSymbol: Record<ChangeKind, string> = {
  unchanged: '',
  inserted: '+',
  deleted: '−',
  changed: '±',
  moved: '↕',
  moved_away: '↕',
}

export function blockKindLabel(k: BlockKind): string {
  switch (k.type) {
    case 'heading':
      return 'overskrift'
    case 'list_item':
      return k.ordered ? 'nummereret punkt' : 'punkt'
    case 'quote':
      return 'citat'
    default:
      return 'afsnit'
  }
}

/** "Birgitte Holms" – the Danish genitive. */
export function genitive(name: string): string {
  return /[sxz]$/i.test(name) ? `${name}’` : `${name}s`
}
