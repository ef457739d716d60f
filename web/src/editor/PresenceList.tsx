import type { Presence } from './collab'

/** Who has the document open right now, each with their caret colour and name. */
export function PresenceList(props: { people: Presence[] }) {
  return (
    <section class="presence" aria-label="Til stede i dokumentet">
      <h2 class="visually-hidden">Til stede</h2>
      <ul data-testid="presence">
        {props.people.map((p) => (
          <li key={p.clientId} data-self={p.self ? 'true' : undefined}>
            <span class="presence__dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
            {p.name}
            {p.self && <span class="muted"> (dig)</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
