// Accessibility: axe-core on every page (no serious or critical violations), and the main
// actions reached and triggered with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  apiFetch,
  assertAccessible,
  DRAFT_HEARING,
  demo,
  demoHearing,
  editor,
  editorReady,
  focused,
  launch,
  login,
  newContext,
  openOwnResponse,
  OPEN_HEARING,
  tabTo,
} from './lib.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('axe-core finds no serious or critical violations', () => {
  test('login page, also with an error shown', async () => {
    const ctx = await newContext(browser, 'anonym')
    const page = await ctx.newPage()
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor()
    assert.match(new URL(page.url()).pathname, /^\/logind/)
    await assertAccessible(page, 'Log ind')
    await page.getByLabel('E-mail').fill('ingen@demo.samskriv.dk')
    await page.getByLabel('Adgangskode').fill('forkert-kode')
    await page.getByRole('button', { name: 'Log ind' }).click()
    await page.getByRole('alert').waitFor()
    await assertAccessible(page, 'Log ind with an error')
    await ctx.close()
  })

  test('the secretariat’s pages', async () => {
    const ctx = await newContext(browser, 'sekretariat')
    const page = await login(ctx, demo.secretariat)
    await assertAccessible(page, 'Mine høringer (sekretariat)')

    await page.goto('/hoeringer/ny')
    await page.getByRole('checkbox').first().waitFor()
    await assertAccessible(page, 'Ny høring')

    const h = await demoHearing(page)
    await page.goto(`/hoeringer/${h.id}`)
    await page.getByTestId('board').waitFor()
    await page.getByTestId('audit').waitFor()
    await assertAccessible(page, 'hearing page with board and audit log')

    // The demo's draft hearing, with the open dialog.
    const draft = await demoHearing(page, DRAFT_HEARING)
    assert.equal(draft.state, 'draft')
    await page.goto(`/hoeringer/${draft.id}`)
    await page.getByRole('button', { name: 'Send i høring' }).waitFor()
    await assertAccessible(page, 'draft hearing')
    await page.getByRole('button', { name: 'Send i høring' }).click()
    await page.getByRole('dialog').waitFor()
    await assertAccessible(page, 'confirmation dialog')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'hidden' })

    await page.goto('/konto')
    await page.getByRole('heading', { level: 2, name: 'Personlige API-nøgler' }).waitFor()
    await assertAccessible(page, 'Konto')
    await page.getByLabel('Navn på nøglen').fill('Eksport-script')
    await page.getByRole('button', { name: 'Opret API-nøgle' }).click()
    await page.getByLabel('Ny API-nøgle').waitFor()
    assert.match(await page.getByLabel('Ny API-nøgle').inputValue(), /^smk_/)
    await page.getByTestId('tokens').getByRole('rowheader', { name: 'Eksport-script' }).waitFor()
    await assertAccessible(page, 'Konto with a new token')
    await page.getByRole('button', { name: 'Tilbagekald Eksport-script' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Tilbagekald' }).click()
    await page.getByRole('status').getByText('er tilbagekaldt').waitFor()
    await page.getByTestId('tokens').waitFor({ state: 'detached' }) // the revoked token is gone
    const left = await apiFetch(page, 'GET', '/api/tokens')
    assert.deepEqual(left.json, [], 'the server has no token left')

    await page.goto('/findes/ikke')
    await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).waitFor()
    await assertAccessible(page, 'not found')
    await ctx.close()
  })

  test('the LMU member’s pages: editor, read-only, no access', async () => {
    const ctx = await newContext(browser, 'svo.medlem1')
    const page = await login(ctx, demo.member('svo', 1))
    await assertAccessible(page, 'Mine høringer (LMU-medlem)')
    const h = await demoHearing(page)
    await page.goto(`/hoeringer/${h.id}`)
    await page.getByTestId('board').waitFor()
    await assertAccessible(page, 'hearing page (LMU member)')

    await openOwnResponse(page)
    await editor(page).click()
    await page.keyboard.type('Overskrift')
    await page.getByRole('button', { name: 'Overskrift H2' }).click()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Et afsnit med ')
    await page.keyboard.press('Control+b')
    await page.keyboard.type('fed')
    await page.keyboard.press('Control+b')
    await page.keyboard.type(' tekst.')
    await editor(page).locator('h2', { hasText: 'Overskrift' }).waitFor()
    await editor(page).locator('strong', { hasText: 'fed' }).waitFor()
    await page.locator('[data-testid="save-state"][data-saved="true"]').waitFor()
    await assertAccessible(page, 'response editor')

    // Another LMU's draft: the no-access page.
    const other = await newContext(browser, 'dok.medlem1')
    const op = await login(other, demo.member('dok', 1))
    await op.goto(page.url())
    await op.getByTestId('no-access').waitFor()
    await assertAccessible(op, 'no access')
    await other.close()
    await ctx.close()
  })

  test('a submitted response, read-only for its LMU', async () => {
    const ctx = await newContext(browser, 'ikh.formand')
    const page = await login(ctx, demo.chair('ikh'))
    const id = await openOwnResponse(page)
    const s = await apiFetch(page, 'POST', `/api/responses/${id}/submit`)
    assert.ok(s.status < 300, s.text)
    await page.reload()
    await editorReady(page)
    await page.getByTestId('readonly-notice').waitFor()
    await assertAccessible(page, 'read-only response')
    await ctx.close()
  })
})

/** Waits until a toolbar command has returned focus to the text (Tiptap does so on the next frame). */
async function backInText(page) {
  await page.waitForFunction(() => document.activeElement?.id === 'response-editor')
}

describe('keyboard only', () => {
  test('log in, open the hearing and the response, format with the toolbar, use the submit dialog', async () => {
    const ctx = await newContext(browser, 'sau.formand')
    const page = await ctx.newPage()
    await page.goto('/logind')
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor()

    // The skip link is the first stop and moves focus to the main content.
    await page.keyboard.press('Tab')
    assert.equal((await focused(page)).text, 'Spring til indhold')
    await page.keyboard.press('Enter')
    assert.equal((await focused(page)).id, 'indhold')

    await tabTo(page, (f) => f.id === 'login-email', { what: 'the e-mail field' })
    await page.keyboard.type(demo.chair('sau'))
    await page.keyboard.press('Tab')
    assert.equal((await focused(page)).id, 'login-password')
    await page.keyboard.type('demo1234')
    await page.keyboard.press('Tab')
    assert.deepEqual(await focused(page).then((f) => [f.tag, f.text]), ['button', 'Log ind'])
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Mine høringer' }).waitFor()

    await tabTo(page, (f) => f.tag === 'a' && f.text === OPEN_HEARING, { what: 'the open demo hearing' })
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: OPEN_HEARING }).waitFor()
    assert.equal((await focused(page)).tag, 'h1', 'focus moves to the new page’s heading')

    await tabTo(page, (f) => f.tag === 'a' && f.text.startsWith('Åbn høringssvaret fra'), { what: 'the response link' })
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: /^Høringssvar fra/ }).waitFor()
    await editorReady(page)

    // Toolbar: each button reached by Tab and triggered by Space or Enter.
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Overskrift H2', { what: 'Overskrift H2' })
    await page.keyboard.press('Space')
    // The command returns focus to the text (Tiptap focuses on the next animation frame).
    await backInText(page)
    await page.keyboard.type('Tastaturets overskrift')
    await editor(page).locator('h2', { hasText: 'Tastaturets overskrift' }).waitFor()
    await page.keyboard.press('Enter')

    await tabTo(page, (f) => f.text === 'Kursiv', { back: true, what: 'Kursiv' })
    await page.keyboard.press('Enter')
    await backInText(page)
    await page.keyboard.type('skrå ord')
    await editor(page).locator('em', { hasText: 'skrå ord' }).waitFor()
    assert.equal(await page.getByRole('button', { name: 'Kursiv' }).getAttribute('aria-pressed'), 'true')

    await tabTo(page, (f) => f.text === 'Liste med punkter', { back: true, what: 'Liste med punkter' })
    await page.keyboard.press('Space')
    await backInText(page)
    await editor(page).locator('ul li', { hasText: 'skrå ord' }).waitFor()

    await tabTo(page, (f) => f.text === 'Fortryd', { back: true, what: 'Fortryd' })
    await page.keyboard.press('Enter')
    await editor(page).locator('ul').waitFor({ state: 'detached' })
    await page.locator('[data-testid="save-state"][data-saved="true"]').waitFor()

    // The submit dialog: opened with Enter, focus trapped inside, closed by Escape.
    await tabTo(page, (f) => f.text === 'Indsend høringssvar', { back: true, what: 'Indsend høringssvar' })
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Indsend høringssvaret?' })
    await dialog.waitFor()
    assert.equal((await focused(page)).text, 'Annullér', 'focus starts on the safe choice')
    const inside = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      const f = await focused(page)
      inside.push(f.text)
      assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), `focus left the dialog: ${f.text}`)
    }
    assert.deepEqual(inside, ['Indsend', 'Annullér', 'Indsend', 'Annullér'])
    await page.keyboard.press('Shift+Tab')
    assert.equal((await focused(page)).text, 'Indsend')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await focused(page)).text, 'Indsend høringssvar', 'focus returns to the button')
    assert.equal((await apiFetch(page, 'GET', page.url().replace(/.*\/svar\//, '/api/responses/'))).json.status !== 'submitted', true)

    // And submit for real, with Space.
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Tab')
    assert.equal((await focused(page)).text, 'Indsend')
    await page.keyboard.press('Space')
    await page.getByTestId('readonly-notice').waitFor()
    await page.locator('#response-editor[contenteditable="false"]').waitFor()
    await page.getByRole('status').getByText('Høringssvaret er indsendt').waitFor()
    await ctx.close()
  })
})
