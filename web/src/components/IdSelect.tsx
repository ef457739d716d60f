import type { ComponentChildren } from 'preact'

/**
 * A labelled choice of one item by its numeric id, in a form's `.field`: `null` while nothing is
 * chosen (the first option, `placeholder`).
 */
export function IdSelect<T extends { id: number }>(props: {
  id: string
  label: ComponentChildren
  value: number | null
  onChange: (id: number | null) => void
  placeholder: string
  items: readonly T[]
  option: (item: T) => ComponentChildren
  disabled?: boolean
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        disabled={props.disabled}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value
          props.onChange(v ? Number(v) : null)
        }}
      >
        <option value="">{props.placeholder}</option>
        {props.items.map((item) => (
          <option key={item.id} value={item.id}>
            {props.option(item)}
          </option>
        ))}
      </select>
    </div>
  )
}
