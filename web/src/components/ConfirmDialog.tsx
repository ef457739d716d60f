import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { ErrorMessage } from './ErrorMessage'

/**
 * A modal confirmation: a native <dialog> opened with showModal() (the rest of the page is
 * inert), focus kept inside with Tab and Shift+Tab, Escape or "Annullér" closes it, and focus
 * returns to the button that opened it.
 */
export function ConfirmDialog(props: {
  open: boolean
  title: string
  children: ComponentChildren
  confirmLabel: string
  onConfirm: () => Promise<void>
  onClose: () => void
  /** Where focus goes when the button that opened the dialog is gone (default: the page's h1). */
  fallbackFocusId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<Element | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const titleId = useId()
  const descId = useId()

  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (props.open && !d.open) {
      opener.current = document.activeElement
      setError(null)
      d.showModal()
      d.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    } else if (!props.open && d.open) {
      d.close()
    }
  }, [props.open])

  const restoreFocus = () => {
    const o = opener.current as HTMLElement | null
    // The opener may be gone (a submitted response has no submit button): then the page heading.
    if (o && document.contains(o) && !(o as HTMLButtonElement).disabled) o.focus()
    else
      ((props.fallbackFocusId && document.getElementById(props.fallbackFocusId)) ||
        document.querySelector<HTMLElement>('main h1'))?.focus()
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return
    const d = ref.current!
    const items = Array.from(
      d.querySelectorAll<HTMLElement>('button:not([disabled]), [href], input, [tabindex]:not([tabindex="-1"])'),
    )
    if (items.length === 0) return
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await props.onConfirm()
      props.onClose()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={descId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault()
        if (!busy) props.onClose()
      }}
      onClose={restoreFocus}
    >
      <h2 id={titleId}>{props.title}</h2>
      <div id={descId}>{props.children}</div>
      <ErrorMessage error={error} />
      <div class="dialog__actions">
        <button type="button" class="button button--primary" onClick={confirm} disabled={busy}>
          {busy ? 'Vent…' : props.confirmLabel}
        </button>
        <button type="button" class="button" data-autofocus onClick={props.onClose} disabled={busy}>
          Annullér
        </button>
      </div>
    </dialog>
  )
}
