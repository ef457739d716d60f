export function Loading(props: { what?: string }) {
  return (
    <p class="loading" role="status">
      Henter {props.what ?? 'data'}…
    </p>
  )
}
