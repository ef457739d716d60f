import type { ComponentChildren } from 'preact'
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import { wasNavigatedInApp } from '../router'

/** The page's h1; sets the document title and takes focus after an in-app navigation. */
export function PageHeading(props: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${props.title} – Samskriv`
  }, [props.title])
  // Layout effect: focus moves in the same task as the page appears.
  useLayoutEffect(() => {
    if (wasNavigatedInApp()) ref.current?.focus()
  }, [])
  return (
    <h1 ref={ref} tabIndex={-1}>
      {props.children ?? props.title}
    </h1>
  )
}
