import { useEffect, useState } from 'preact/hooks'
import { api, ApiError, type Committee, type Member, type Person, type Role } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorMessage } from '../components/ErrorMessage'
import { focusById } from '../components/focusById'
import { Loading } from '../components/Loading'
import { PageHeading } from '../components/PageHeading'
import { roleLabel } from '../format'
import { useUser } from '../session'
import { IdSelect } from '../components/IdSelect'

const roleName: Record<Role, string> = { member: 'Medlem', chair: 'Formandskab' }

/** "medlem af SBU" or "i formandskabet for SBU". */
function inRole(role: Role, committee: string): string {
  return role === 'chair' ? `i formandskabet for ${committee}` : `medlem af ${committee}`
}

function value(e: Event): string {
  return (e.target as HTMLInputElement | HTMLSelectElement).value
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name, 'da')
}

/** "Ny person": name, e-mail, a first password to hand over, and whether they are the secretariat. */
function NewPersonForm(props: { onCreated: (p: Person) => void }) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [secretariat, setSecretariat] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      // The server checks the fields and says in Danish what is wrong.
      const p = await api.createUser({ name: name.trim(), email: email.trim(), password, secretariat })
      setName('')
      setEmail('')
      setPassword('')
      setSecretariat(false)
      props.onCreated(p)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form person-form" onSubmit={submit} noValidate aria-labelledby="new-person-heading">
      <h2 id="new-person-heading">Ny person</h2>
      <div class="form-row">
        <div class="field">
          <label for="person-name">Navn</label>
          <input id="person-name" type="text" autocomplete="off" value={name} onInput={(e) => setName(value(e))} />
        </div>
        <div class="field">
          <label for="person-email">E-mail</label>
          <input
            id="person-email"
            type="email"
            autocomplete="off"
            value={email}
            onInput={(e) => setEmail(value(e))}
          />
        </div>
        <div class="field">
          <label for="person-password">Første adgangskode</label>
          <input
            id="person-password"
            type="password"
            autocomplete="new-password"
            aria-describedby="person-password-help"
            value={password}
            onInput={(e) => setPassword(value(e))}
          />
        </div>
      </div>
      <p id="person-password-help" class="muted small">
        Mindst 8 tegn. Giv personen adgangskoden på en sikker måde.
      </p>
      <label class="check">
        <input type="checkbox" checked={secretariat} onChange={(e) => setSecretariat((e.target as HTMLInputElement).checked)} />
        Med i sekretariatet (opretter høringer og møder og administrerer udvalg og medlemmer)
      </label>
      <ErrorMessage error={error} prefix="Personen blev ikke oprettet:" />
      <button type="submit" class="button button--primary" disabled={busy}>
        {busy ? 'Opretter…' : 'Opret person'}
      </button>
    </form>
  )
}

/** Adds a person to a committee with a role, or changes the role of one who is in it already. */
function MembershipForm(props: {
  people: Person[]
  committees: Committee[]
  members: Record<number, Member[] | undefined>
  person: number | null
  onPerson: (id: number | null) => void
  onSaved: (message: string, committeeId: number) => Promise<void>
}) {
  const [committeeId, setCommitteeId] = useState<number | null>(null)
  const [role, setRole] = useState<Role>('member')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const person = props.people.find((p) => p.id === props.person)
  const committee = props.committees.find((c) => c.id === committeeId)
  const already = person && committee ? props.members[committee.id]?.find((m) => m.user.id === person.id) : undefined

  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    if (!person || !committee) {
      setError(new ApiError(400, 'Vælg både en person og et udvalg.'))
      return
    }
    setBusy(true)
    try {
      await api.setMembership(committee.id, person.id, role)
      const what = !already
        ? role === 'chair'
          ? `${person.name} er tilføjet til formandskabet for ${committee.name}.`
          : `${person.name} er tilføjet som medlem af ${committee.name}.`
        : already.role === role
          ? `${person.name} er allerede ${inRole(role, committee.name)}.`
          : `${person.name} er nu ${inRole(role, committee.name)}.`
      await props.onSaved(what, committee.id)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form membership-form" onSubmit={submit} aria-labelledby="membership-heading">
      <h2 id="membership-heading">Tilføj til et udvalg</h2>
      <p class="muted">Er personen allerede med i udvalget, skifter rollen til den valgte.</p>
      <div class="form-row">
        <IdSelect
          id="membership-person"
          label="Person"
          value={props.person}
          onChange={props.onPerson}
          placeholder="Vælg person…"
          items={props.people}
          option={(p) => `${p.name} (${p.email})`}
        />
        <IdSelect
          id="membership-committee"
          label="Udvalg"
          value={committeeId}
          onChange={setCommitteeId}
          placeholder="Vælg udvalg…"
          items={props.committees}
          option={(c) => `${c.short_name} – ${c.name}`}
        />
        <div class="field">
          <label for="membership-role">Rolle</label>
          <select id="membership-role" value={role} onChange={(e) => setRole(value(e) as Role)}>
            <option value="member">Medlem</option>
            <option value="chair">Formandskab</option>
          </select>
        </div>
      </div>
      {already && (
        <p class="muted" data-testid="membership-already">
          {person?.name} er allerede {inRole(already.role, committee?.name ?? '')}.
        </p>
      )}
      <ErrorMessage error={error} prefix="Medlemskabet blev ikke gemt:" />
      <button type="submit" class="button button--primary" disabled={busy}>
        {busy ? 'Gemmer…' : already ? 'Skift rolle' : 'Tilføj til udvalget'}
      </button>
    </form>
  )
}

/** One committee and its members, with a change of role and removal for each. */
function CommitteeMembers(props: {
  committee: Committee
  members: Member[] | undefined
  onRole: (m: Member, role: Role) => Promise<void>
  onRemove: (m: Member) => void
}) {
  const c = props.committee
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const headingId = `udvalg-${c.id}`
  const members = props.members ? [...props.members].sort((a, b) => byName(a.user, b.user)) : undefined

  return (
    <section aria-labelledby={headingId} class="committee" data-committee={c.short_name}>
      <h3 id={headingId} tabIndex={-1}>
        {c.name}
        {c.name !== c.short_name ? ` (${c.short_name})` : ''}
        {c.kind === 'main' ? ' – hovedudvalget' : ''}
      </h3>
      <ErrorMessage error={error} prefix="Ændringen blev ikke gemt:" />
      {!members ? (
        <Loading what="medlemmerne" />
      ) : members.length === 0 ? (
        <p class="muted">Udvalget har ingen medlemmer endnu.</p>
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="members">
            <caption class="visually-hidden">Medlemmer af {c.name}</caption>
            <thead>
              <tr>
                <th scope="col">Navn</th>
                <th scope="col">E-mail</th>
                <th scope="col">Rolle</th>
                <th scope="col">
                  <span class="visually-hidden">Handlinger</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const other: Role = m.role === 'chair' ? 'member' : 'chair'
                return (
                  <tr key={m.user.id} data-user={m.user.id} data-role={m.role}>
                    <th scope="row">{m.user.name}</th>
                    <td>{m.email}</td>
                    <td data-testid="role">{roleName[m.role]}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="button button--small"
                        // Not disabled while it works: a disabled button would lose the focus.
                        onClick={async () => {
                          if (busy !== null) return
                          setError(null)
                          setBusy(m.user.id)
                          try {
                            await props.onRole(m, other)
                          } catch (e) {
                            setError(e)
                          } finally {
                            setBusy(null)
                          }
                        }}
                      >
                        Skift rolle til {roleLabel(other)}
                        <span class="visually-hidden">
                          {' '}
                          for {m.user.name} i {c.short_name}
                        </span>
                      </button>
                      <button type="button" class="button button--small" onClick={() => props.onRemove(m)}>
                        Fjern<span class="visually-hidden"> {m.user.name} fra {c.short_name}</span>
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/**
 * "Udvalg og medlemmer" (`/udvalg`), for the secretariat: every committee with its members and
 * their roles; a new person; adding someone to a committee, changing their role, removing them.
 */
export function CommitteesPage() {
  const user = useUser()
  const [committees, setCommittees] = useState<Committee[] | null>(null)
  const [people, setPeople] = useState<Person[] | null>(null)
  const [members, setMembers] = useState<Record<number, Member[] | undefined>>({})
  const [error, setError] = useState<unknown>(null)
  const [message, setMessage] = useState('')
  const [person, setPerson] = useState<number | null>(null)
  const [removing, setRemoving] = useState<{ committee: Committee; member: Member } | null>(null)
  /** The committee a removal was last asked in: focus goes to its heading when the row is gone. */
  const [removedFrom, setRemovedFrom] = useState<number | null>(null)

  const loadMembers = (id: number) =>
    api.members(id).then((list) => setMembers((all) => ({ ...all, [id]: list })))
  const loadPeople = () => api.users().then((list) => setPeople([...list].sort(byName)))

  useEffect(() => {
    if (!user.secretariat) return
    api.committees().then((list) => {
      setCommittees(list)
      for (const c of list) loadMembers(c.id).catch(setError)
    }, setError)
    loadPeople().catch(setError)
  }, [user.secretariat])

  if (!user.secretariat) {
    return (
      <section>
        <PageHeading title="Udvalg og medlemmer" />
        <div class="notice notice--info" role="alert">
          Kun sekretariatet administrerer udvalg og medlemmer.
        </div>
      </section>
    )
  }

  const inNoCommittee =
    people && committees && committees.every((c) => members[c.id] !== undefined)
      ? people.filter((p) => !committees.some((c) => members[c.id]?.some((m) => m.user.id === p.id)))
      : null

  return (
    <article class="committees">
      <PageHeading title="Udvalg og medlemmer" />
      <p class="muted">
        HMU og LMU’erne med deres medlemmer. Medlemmer af et LMU skriver udvalgets høringssvar; formandskabet
        indsender det. HMU’s formandskab samler det fælles høringssvar.
      </p>
      <p role="status" class="notice notice--success visually-hidden-empty" data-testid="members-message">
        {message}
      </p>
      <ErrorMessage error={error} />
      {(!committees || !people) && !error && <Loading what="udvalgene" />}

      {committees && people && (
        <>
          <NewPersonForm
            onCreated={(p) => {
              setMessage(`${p.name} er oprettet. Vælg herunder, hvilket udvalg ${p.name} skal være med i.`)
              setPerson(p.id)
              loadPeople()
                .then(() => focusById('membership-committee'))
                .catch(setError)
            }}
          />

          <MembershipForm
            people={people}
            committees={committees}
            members={members}
            person={person}
            onPerson={setPerson}
            onSaved={async (what, committeeId) => {
              await loadMembers(committeeId)
              setMessage(what)
            }}
          />

          <section aria-labelledby="committees-heading">
            <h2 id="committees-heading">Udvalgene</h2>
            {committees.map((c) => (
              <CommitteeMembers
                key={c.id}
                committee={c}
                members={members[c.id]}
                onRole={async (m, role) => {
                  await api.setMembership(c.id, m.user.id, role)
                  await loadMembers(c.id)
                  setMessage(`${m.user.name} er nu ${inRole(role, c.name)}.`)
                }}
                onRemove={(m) => {
                  setRemovedFrom(c.id)
                  setRemoving({ committee: c, member: m })
                }}
              />
            ))}
          </section>

          {inNoCommittee && inNoCommittee.length > 0 && (
            <section aria-labelledby="no-committee-heading">
              <h2 id="no-committee-heading">Personer uden udvalg</h2>
              <ul class="plain" data-testid="no-committee">
                {inNoCommittee.map((p) => (
                  <li key={p.id}>
                    {p.name} <span class="muted">({p.email})</span>
                    {p.secretariat ? ' – sekretariatet' : ''}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}

      <ConfirmDialog
        open={removing !== null}
        title={removing ? `Fjern ${removing.member.user.name} fra ${removing.committee.short_name}?` : 'Fjern?'}
        confirmLabel="Fjern"
        fallbackFocusId={removedFrom !== null ? `udvalg-${removedFrom}` : undefined}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return
          const { committee: c, member: m } = removing
          await api.removeMembership(c.id, m.user.id)
          await loadMembers(c.id)
          setMessage(`${m.user.name} er fjernet fra ${c.name}.`)
        }}
      >
        <p>
          {removing?.member.user.name} er så ikke længere{' '}
          {removing ? inRole(removing.member.role, removing.committee.name) : ''} og mister den adgang, det giver –
          fx til udvalgets høringssvar. Personen kan tilføjes igen senere.
        </p>
      </ConfirmDialog>
    </article>
  )
}
