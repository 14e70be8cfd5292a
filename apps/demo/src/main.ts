/**
 * The live odds board: the header (connection, figures, odds format), the board of fixtures and
 * one fixture's view, each bound to the core's observables. One column on every screen: the
 * board, or a fixture with a way back. The open fixture is kept in the URL hash
 * (`#fixture=<id>`), so the browser's back button returns to the board.
 * @module
 */
import { createOddsFeed, type OddsFeed } from '@oddsfeed/core'
import { mountBoard } from './board.js'
import { currentSource, embeddedFeed, type FeedSource } from './config.js'
import type { Disposables } from './dom.js'
import { mountFixtureView } from './fixture-view.js'
import { mountHeader } from './header.js'
import { RestSeeder } from './seed.js'
import { mountSettings } from './settings.js'
import { AppState } from './state.js'
import './style.css'

const $ = (id: string) => document.getElementById(id) as HTMLElement

function start(): void {
  const source = currentSource()
  mountSettings($('settings'), embeddedFeed() !== undefined)
  if (!source) {
    $('board').textContent =
      'No feed: start the board with `pnpm demo` (embedded simulator), or choose the real feed in Settings.'
    return
  }
  const restBase =
    source.restBase === undefined ? undefined : new URL(source.restBase || '/', location.href).href
  const relay = source.mode === 'relay'
  const token = relayToken(source)
  const feed: OddsFeed = createOddsFeed({
    url: source.url,
    ...(source.apiKey !== undefined && { apiKey: source.apiKey }),
    // through a relay: a token (never a key), `oddsfeed.relay.v1`, snapshots from the relay
    ...(token !== undefined && { token, protocol: 'relay' as const }),
    batch: 'animationFrame',
    // The socket has no snapshot: a watched fixture is filled from REST `/v4/odds` (by the core)
    // on first use and after every reconnect. Only with a REST API that is ours to call, and
    // never through a relay (its snapshots hydrate).
    // `fetch` bound here: the core calls its default as a method, which browsers refuse.
    snapshot:
      restBase === undefined || relay
        ? false
        : {
            baseUrl: restBase,
            fetch: (url, init) => globalThis.fetch(url, init),
            // the embedded simulator is ours: its `/v4/odds` cooldown is short (see scripts/dev.ts)
            ...(source.mode === 'simulator' && { cooldownMs: 50 }),
          },
  })
  const state = new AppState(feed)
  const label = relay
    ? 'via relay'
    : source.mode === 'simulator'
      ? 'simulator'
      : `real feed${source.apiKey ? '' : ' (no key)'}`
  mountHeader($('header'), state, label)

  const seeder = restBase === undefined ? undefined : new RestSeeder(feed, restBase, source.apiKey)
  void seeder?.catalogue(state)

  const boardRoot = $('board')
  const viewRoot = $('view')
  let view: Disposables | undefined
  let shown: string | undefined
  const board = mountBoard(boardRoot, state, (fixtureId) => {
    location.hash = `#fixture=${encodeURIComponent(fixtureId)}`
  })
  const route = () => {
    const id = /^#fixture=(.+)$/.exec(location.hash)?.[1]
    const fixtureId = id ? decodeURIComponent(id) : undefined
    if (fixtureId === shown) return
    view?.dispose()
    view = undefined
    const previous = shown
    shown = fixtureId
    document.body.dataset.view = fixtureId ? 'fixture' : 'board'
    boardRoot.hidden = fixtureId !== undefined
    viewRoot.hidden = fixtureId === undefined
    if (fixtureId) {
      scrollTo(0, 0)
      view = mountFixtureView(viewRoot, state, fixtureId, () => {
        if (history.length > 1 && previous === undefined) history.back()
        else location.hash = ''
      })
    } else {
      viewRoot.replaceChildren()
      if (previous) board.focusRow(previous)
    }
  }
  addEventListener('hashchange', route)
  route()

  // After every (re)connection the fixture list is reloaded: the socket only sends what changes next.
  feed.status$.subscribe((status) => {
    if (status.state === 'open') void seeder?.fixtures()
  })
  addEventListener('pagehide', () => feed.close())
}

/**
 * The relay token: a fixed one (sessionStorage), or one fetched from this origin before every
 * (re)connect, as an app asks its backend (tokens expire).
 */
function relayToken(source: FeedSource): string | (() => Promise<string>) | undefined {
  const path = source.tokenPath
  if (path === undefined) return source.token
  return async () => {
    const response = await fetch(path, { cache: 'no-store' })
    if (!response.ok) throw new Error(`${path} answered ${response.status}`)
    return (await response.text()).trim()
  }
}

start()
