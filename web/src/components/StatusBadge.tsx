import type { ResponseStatus } from '../api'
import { responseStatusLabel, responseStatusSymbol } from '../format'

/** A response's status as symbol + word (never colour alone). */
export function StatusBadge(props: { status: ResponseStatus }) {
  return (
    <span class={`status status--${props.status}`} data-status={props.status}>
      <span aria-hidden="true">{responseStatusSymbol[props.status]} </span>
      {responseStatusLabel[props.status]}
    </span>
  )
}
