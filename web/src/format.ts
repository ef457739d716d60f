// Danish words and Danish time for what the API sends (states, statuses, UTC times).
import type { HearingState, ResponseStatus } from './api'

export const TIME_ZONE = 'Europe/Copenhagen'

const dateTime = new Intl.DateTimeFormat('da-DK', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** "29. november 2026 kl. 22.48" in Danish time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = dateTime.formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('day')}. ${get('month')} ${get('year')} kl. ${get('hour')}.${get('minute')}`
}

/** Wall-clock fields of `utcMillis` in Danish time. */
function copenhagenFields(utcMillis: number) {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(utcMillis))
  const n = (t: string) => Number(f.find((p) => p.type === t)?.value)
  return { y: n('year'), m: n('month'), d: n('day'), h: n('hour'), min: n('minute') }
}

/** A date ("2026-11-29") and time ("14:00") in Danish time as an RFC 3339 UTC string. */
export function copenhagenToUtc(date: string, time: string): string | null {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const tm = /^(\d{2}):(\d{2})$/.exec(time)
  if (!dm || !tm) return null
  const wall = Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +tm[1], +tm[2])
  // Start from the wall clock read as UTC and correct by the zone's offset (twice, across DST).
  let guess = wall
  for (let i = 0; i < 2; i++) {
    const f = copenhagenFields(guess)
    const shown = Date.UTC(f.y, f.m - 1, f.d, f.h, f.min)
    guess += wall - shown
  }
  return new Date(guess).toISOString()
}

/** Date and time fields ("2026-11-29", "14:00") in Danish time for a UTC instant. */
export function utcToCopenhagen(utcMillis: number): { date: string; time: string } {
  const f = copenhagenFields(utcMillis)
  const p = (n: number) => String(n).padStart(2, '0')
  return { date: `${f.y}-${p(f.m)}-${p(f.d)}`, time: `${p(f.h)}:${p(f.min)}` }
}

export const hearingStateLabel: Record<HearingState, string> = {
  draft: 'Kladde (ikke sendt i høring)',
  collecting: 'I høring',
  consolidating: 'Samles til fælles høringssvar',
  in_review: 'Til gennemsyn',
  approved: 'Godkendt',
  frozen: 'Afsluttet og arkiveret',
}

export const responseStatusLabel: Record<ResponseStatus, string> = {
  not_started: 'ikke startet',
  in_progress: 'i gang',
  submitted: 'indsendt',
  submitted_late: 'indsendt for sent',
  draft: 'udkast',
}

/** A symbol per status, so status is never told by colour alone. */
export const responseStatusSymbol: Record<ResponseStatus, string> = {
  not_started: '○',
  in_progress: '◐',
  submitted: '●',
  submitted_late: '◆',
  draft: '◐',
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toLocaleString('da-DK', { maximumFractionDigits: 0 })} kB`
  return `${(n / 1024 / 1024).toLocaleString('da-DK', { maximumFractionDigits: 1 })} MB`
}

export function roleLabel(role: 'member' | 'chair'): string {
  return role === 'chair' ? 'formandskab' : 'medlem'
}

/** A response's status for display: a late submission shows as "indsendt for sent". */
export function displayStatus(status: ResponseStatus, late?: boolean): ResponseStatus {
  return status === 'submitted' && late ? 'submitted_late' : status
}
