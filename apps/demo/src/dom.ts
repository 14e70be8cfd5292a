/**
 * A tiny DOM helper: elements built with text only (feed data is never parsed as HTML).
 * @module
 */

type Attrs = Record<string, string | number | boolean | undefined>

/** Creates an element with attributes (`testid` → `data-testid`) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    const attr = name === 'testid' ? 'data-testid' : name
    el.setAttribute(attr, value === true ? '' : String(value))
  }
  el.append(...children)
  return el
}

/** Sets an element's text only when it differs (no needless layout work). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text
}

/** Something to undo: unsubscribe, clear a timer. */
export type Disposer = () => void

/** Collects disposers and runs them all once. */
export class Disposables {
  private readonly list: Disposer[] = []
  add(disposer: Disposer | { unsubscribe(): void }): void {
    this.list.push(typeof disposer === 'function' ? disposer : () => disposer.unsubscribe())
  }
  dispose(): void {
    for (const d of this.list.splice(0).reverse()) d()
  }
}

/** `http(s)` links only: anything else from the feed is not made clickable. */
export function safeHref(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined
  } catch {
    return undefined
  }
}

/** A price as shown: two decimals (three below 1.1). */
export function formatPrice(price: number): string {
  return price < 1.1 ? price.toFixed(3) : price.toFixed(2)
}
