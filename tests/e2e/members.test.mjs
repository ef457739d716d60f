// "Udvalg og medlemmer" (/udvalg), the secretariat's page of committees and members, in real
// browsers against the real server (demo data: HMU Socialområdet and its nine LMUs). The
// secretariat finds every committee with its members and roles from the main menu; the server's
// errors for a new person are shown; a new person is created and made a member of SBU with the
// keyboard alone; that person logs in and sees SBU's open hearing; their role is changed and
// they are removed again, with focus kept in place; axe-core finds nothing serious.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  assertAccessible,
  demo,
  editorReady,
  focused,
  launch,
  login,
  newContext,
  OPEN_HEARING,
  tabTo,
} from './lib.mjs'

const NEW = { name: 'Freja Mikkelsen', email: 'freja.mikkelsen@demo.samskriv.dk', password: 'hemmelig-2026' }
const SBU = 'Specialområde Børn og Unge'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('the secretariat manages committees and members', () => {
  let secretariat, person
  let s, sbuId, p

  before(async () => {
    secretariat = await newContext(browser, 'sekretariat')
    person = await newContext(browser, 'ny person')
  })
  after(async () => {
    await secretariat?.close()
    await person?.close()
  })

  /** The table row of a person in a committee's section. */
  const row = (short, name) =>
    s.locator(`section.committee[data-committee="${short}"] tbody tr`, { has: s.getByRole('rowheader', { name }) })

  test('every committee with its members and roles, from the main menu', async () => {
    s = await login(secretariat, demo.secretariat)
    const nav = s.getByRole('navigation', { name: 'Hovedmenu' })
    await nav.getByRole('link', { name: 'Udvalg og medlemmer' }).click()
    await s.getByRole('heading', { level: 1, name: 'Udvalg og medlemmer' }).waitFor()
    assert.equal(new URL(s.url()).pathname, '/udvalg')
    assert.equal(await nav.getByRole('link', { name: 'Udvalg og medlemmer' }).getAttribute('aria-current'), 'page')

    const committees = (await apiFetch(s, 'GET', '/api/committees')).json
    assert.equal(committees.length, 10, 'the HMU and nine LMUs')
    sbuId = committees.find((c) => c.short_name === 'SBU').id
    for (const c of committees) await s.getByRole('heading', { level: 3, name: new RegExp(`^${c.name}`) }).waitFor()
    await row('HMU', 'Birgitte Holm').getByTestId('role').getByText('Formandskab').waitFor()
    await row('HMU', 'Gitte Damgaard').getByTestId('role').getByText('Medlem').waitFor()
    await row('SBU', 'Anne Jensen').getByTestId('role').getByText('Formandskab').waitFor()
    await row('SBU', 'Søren Dalgaard').getByText('sbu.medlem1@demo.samskriv.dk').waitFor()
    assert.equal(await s.locator('section.committee[data-committee="SBU"] tbody tr').count(), 3)

    // Headings in order: h1, then h2 (forms and "Udvalgene"), then one h3 per committee.
    const levels = await s.locator('main :is(h1, h2, h3, h4)').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])))
    assert.equal(levels[0], 1)
    for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `heading levels ${levels.join(',')}`)
    await assertAccessible(s, 'Udvalg og medlemmer')
  })

  test('the server’s errors for a new person are shown', async () => {
    await s.getByLabel('Navn').fill(NEW.name)
    await s.getByLabel('E-mail').fill('sbu.medlem1@demo.samskriv.dk')
    await s.getByLabel('Første adgangskode').fill('kort')
    await s.getByRole('button', { name: 'Opret person' }).click()
    const alert = s.locator('.person-form').getByRole('alert')
    await alert.getByText('Personen blev ikke oprettet: Adgangskoden skal være mindst 8 tegn.').waitFor()
    await assertAccessible(s, 'Udvalg og medlemmer with an error')

    await s.getByLabel('Første adgangskode').fill(NEW.password)
    await s.getByRole('button', { name: 'Opret person' }).click()
    await alert.getByText('Der findes allerede en bruger med den e-mailadresse.').waitFor()
    const users = (await apiFetch(s, 'GET', '/api/users')).json
    assert.equal(users.filter((u) => u.name === NEW.name).length, 0, 'nobody was created')
  })

  test('a new person, made a member of SBU with the keyboard alone', async () => {
    await s.reload()
    await s.getByRole('heading', { level: 1, name: 'Udvalg og medlemmer' }).waitFor()
    await s.locator('section.committee[data-committee="SBU"] tbody tr').nth(2).waitFor()
    await s.locator('main h1').focus()

    await tabTo(s, (f) => f.id === 'person-name', { max: 5, what: 'the name field' })
    await s.keyboard.type(NEW.name)
    await s.keyboard.press('Tab')
    assert.equal((await focused(s)).id, 'person-email')
    await s.keyboard.type(NEW.email)
    await s.keyboard.press('Tab')
    assert.equal((await focused(s)).id, 'person-password')
    await s.keyboard.type(NEW.password)
    await tabTo(s, (f) => f.tag === 'button' && f.text === 'Opret person', { max: 3, what: '“Opret person”' })
    await s.keyboard.press('Enter')
    await s.getByTestId('members-message').getByText(`${NEW.name} er oprettet.`).waitFor()
    await s.getByTestId('no-committee').getByText(NEW.name).waitFor()

    // Focus moves on to the membership form, the new person chosen already.
    await s.locator('#membership-committee:focus').waitFor()
    const personSelect = s.getByLabel('Person', { exact: true })
    assert.match(await personSelect.locator('option:checked').textContent(), new RegExp(`^${NEW.name} \\(${NEW.email}\\)`))

    // The committee with the arrow keys, the role left as member, then the button.
    const committee = s.locator('#membership-committee option:checked')
    for (let i = 0; i < 12 && !/^SBU – /.test(await committee.textContent()); i++) await s.keyboard.press('ArrowDown')
    assert.match(await committee.textContent(), /^SBU – /)
    await s.keyboard.press('Tab')
    assert.equal((await focused(s)).id, 'membership-role')
    assert.equal(await s.locator('#membership-role').inputValue(), 'member')
    await tabTo(s, (f) => f.tag === 'button' && f.text === 'Tilføj til udvalget', { max: 2, what: '“Tilføj til udvalget”' })
    await s.keyboard.press('Enter')
    await s.getByTestId('members-message').getByText(`${NEW.name} er tilføjet som medlem af ${SBU}.`).waitFor()
    await row('SBU', NEW.name).getByTestId('role').getByText('Medlem').waitFor()
    await row('SBU', NEW.name).getByText(NEW.email).waitFor()
    await s.getByTestId('no-committee').getByText(NEW.name).waitFor({ state: 'detached' })

    // The form now says the person is a member already, and offers a change of role instead.
    await s.getByTestId('membership-already').getByText(`${NEW.name} er allerede medlem af ${SBU}.`).waitFor()
    await s.getByRole('button', { name: 'Skift rolle', exact: true }).waitFor()
    await assertAccessible(s, 'Udvalg og medlemmer with a new member')
  })

  test('the new member logs in and sees SBU’s open hearing', async () => {
    p = await login(person, NEW.email, NEW.password)
    const card = p.locator('.card', { has: p.getByRole('heading', { name: OPEN_HEARING }) })
    await card.getByRole('link', { name: `Høringssvar fra ${SBU}` }).click()
    await p.getByRole('heading', { level: 1, name: `Høringssvar fra ${SBU}` }).waitFor()
    await editorReady(p)

    // Not the secretariat: no way to the page, and the page says why.
    const nav = p.getByRole('navigation', { name: 'Hovedmenu' })
    assert.equal(await nav.getByRole('link', { name: 'Udvalg og medlemmer' }).count(), 0)
    await p.goto('/udvalg')
    await p.getByRole('alert').getByText('Kun sekretariatet administrerer udvalg og medlemmer.').waitFor()
  })

  test('the role changes and the member is removed; focus stays in place', async () => {
    const toChair = `Skift rolle til formandskab for ${NEW.name} i SBU`
    await row('SBU', NEW.name).getByRole('button', { name: toChair }).click()
    await row('SBU', NEW.name).getByTestId('role').getByText('Formandskab').waitFor()
    await s.getByTestId('members-message').getByText(`${NEW.name} er nu i formandskabet for ${SBU}.`).waitFor()
    assert.equal((await focused(s)).text, `Skift rolle til medlem for ${NEW.name} i SBU`, 'focus stays on the button')
    const session = (await apiFetch(p, 'GET', '/api/session')).json
    assert.deepEqual(
      session.user.memberships.map((m) => [m.committee.short_name, m.role]),
      [['SBU', 'chair']],
      'the server has the new role',
    )

    await row('SBU', NEW.name).getByRole('button', { name: `Fjern ${NEW.name} fra SBU` }).click()
    const dialog = s.getByRole('dialog', { name: `Fjern ${NEW.name} fra SBU?` })
    await dialog.getByText(`i formandskabet for ${SBU}`).waitFor()
    await assertAccessible(s, 'the removal dialog')
    await dialog.getByRole('button', { name: 'Fjern', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    await s.getByTestId('members-message').getByText(`${NEW.name} er fjernet fra ${SBU}.`).waitFor()
    assert.equal(await row('SBU', NEW.name).count(), 0)
    await s.locator(`#udvalg-${sbuId}:focus`).waitFor() // focus goes to the committee's heading
    await s.getByTestId('no-committee').getByText(NEW.name).waitFor()

    // The person no longer sees SBU's hearing.
    await p.goto('/')
    await p.getByText('Du har ingen høringer endnu.').waitFor()
  })
})
