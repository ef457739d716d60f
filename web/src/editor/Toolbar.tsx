import type { Editor } from '@tiptap/core'
import type { JSX } from 'preact'

const bulletIcon = (
  <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
    <circle cx="4" cy="5" r="1.8" />
    <circle cx="4" cy="10" r="1.8" />
    <circle cx="4" cy="15" r="1.8" />
    <path d="M8 4h10v2H8zM8 9h10v2H8zM8 14h10v2H8z" />
  </svg>
)
const numberIcon = (
  <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
    <path d="M3.5 2.5v5M2 11h3v2H2v2h3M2 15.8h3v3.7H2M2.5 17.6H5" fill="none" stroke="currentColor" stroke-width="1.2" />
    <path d="M8 4h10v2H8zM8 9h10v2H8zM8 14h10v2H8z" />
  </svg>
)

interface Tool {
  label: string
  /** Shown to the eye (hidden from assistive technology); the label is the accessible name. */
  text: string | JSX.Element
  keys: string // aria-keyshortcuts
  hint: string // human-readable shortcut
  run: (e: Editor) => boolean
  active?: (e: Editor) => boolean
  enabled?: (e: Editor) => boolean
}

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const mod = mac ? 'Meta' : 'Control'
const modName = mac ? 'Cmd' : 'Ctrl'

const groups: { label: string; tools: Tool[] }[] = [
  {
    label: 'Afsnit',
    tools: [
      {
        label: 'Overskrift H2',
        text: 'H2',
        keys: `${mod}+Alt+2`,
        hint: `${modName}+Alt+2`,
        run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
        active: (e) => e.isActive('heading', { level: 2 }),
      },
      {
        label: 'Overskrift H3',
        text: 'H3',
        keys: `${mod}+Alt+3`,
        hint: `${modName}+Alt+3`,
        run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
        active: (e) => e.isActive('heading', { level: 3 }),
      },
      {
        label: 'Liste med punkter',
        text: bulletIcon,
        keys: `${mod}+Shift+8`,
        hint: `${modName}+Shift+8`,
        run: (e) => e.chain().focus().toggleBulletList().run(),
        active: (e) => e.isActive('bulletList'),
      },
      {
        label: 'Nummereret liste',
        text: numberIcon,
        keys: `${mod}+Shift+7`,
        hint: `${modName}+Shift+7`,
        run: (e) => e.chain().focus().toggleOrderedList().run(),
        active: (e) => e.isActive('orderedList'),
      },
    ],
  },
  {
    label: 'Tekst',
    tools: [
      {
        label: 'Fed',
        text: 'F',
        keys: `${mod}+B`,
        hint: `${modName}+B`,
        run: (e) => e.chain().focus().toggleBold().run(),
        active: (e) => e.isActive('bold'),
      },
      {
        label: 'Kursiv',
        text: 'K',
        keys: `${mod}+I`,
        hint: `${modName}+I`,
        run: (e) => e.chain().focus().toggleItalic().run(),
        active: (e) => e.isActive('italic'),
      },
    ],
  },
  {
    label: 'Historik',
    tools: [
      {
        label: 'Fortryd',
        text: '↶ Fortryd',
        keys: `${mod}+Z`,
        hint: `${modName}+Z`,
        run: (e) => e.chain().focus().undo().run(),
        enabled: (e) => e.can().undo(),
      },
      {
        label: 'Gentag',
        text: '↷ Gentag',
        keys: `${mod}+Shift+Z`,
        hint: `${modName}+Shift+Z`,
        run: (e) => e.chain().focus().redo().run(),
        enabled: (e) => e.can().redo(),
      },
    ],
  },
]

/**
 * Formatting buttons. Each is a real button with a Danish accessible name, its keyboard
 * shortcut (aria-keyshortcuts and tooltip), and aria-pressed for the formats that toggle.
 */
export function Toolbar(props: { editor: Editor; disabled: boolean }) {
  const e = props.editor
  return (
    <div class="toolbar" role="toolbar" aria-label="Formatering" aria-controls="response-editor">
      {groups.map((g) => (
        <div class="toolbar__group" role="group" aria-label={g.label} key={g.label}>
          {g.tools.map((t) => {
            const pressed = t.active ? t.active(e) : undefined
            const enabled = !props.disabled && (t.enabled ? t.enabled(e) : true)
            return (
              <button
                key={t.label}
                type="button"
                class={`toolbar__button${pressed ? ' is-active' : ''}`}
                aria-label={t.label}
                aria-pressed={pressed === undefined ? undefined : pressed}
                aria-keyshortcuts={t.keys}
                title={`${t.label} (${t.hint})`}
                disabled={!enabled}
                onMouseDown={(ev) => ev.preventDefault() /* keep the editor's selection */}
                onClick={() => t.run(e)}
              >
                <span aria-hidden="true" class={`toolbar__text toolbar__text--${t.label.toLowerCase().replace(/[^a-z0-9]/g, '')}`}>
                  {t.text}
                </span>
              </button>
            )
          })}
        </div>
      ))}
    </div>
  )
}
