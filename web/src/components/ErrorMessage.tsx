import { errorMessage } from '../api'

/** An error from the API (or anything thrown), read out at once by screen readers. */
export function ErrorMessage(props: { error: unknown; prefix?: string }) {
  if (props.error === null || props.error === undefined) return null
  return (
    <div class="notice notice--error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {props.prefix ? `${props.prefix} ` : ''}
      {errorMessage(props.error)}
    </div>
  )
}
