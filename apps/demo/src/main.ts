/**
 * The live odds board: header, fixture list, fixture view and settings, each bound to the core's
 * observables. The chosen fixture is kept in the URL hash (`#fixture=<id>`).
 * @module
 */
import { createOddsFeed, type OddsFeed } from '@oddsfeed/core'
import { currentSource, embeddedSimulator } from './config.js'
import type { Disposables } from './dom.js'
import { mountFixtureList } from './fixture-list.js'
import { mountFixtureView } from './fixture-view.js'
import { mountHeader } from './header.js'
import { RestSeeder } from './seed.js'
import { mountSettings } from './settings.js'
import './style.css'

const $ = (id: string) => document.getElementById(id) as HTMLElement

function start(): void {
  const source = currentSource()
  mountSettings($('settings'), embeddedSimulator() !== undefined)
  if (!source) {
    $('view').textContent =
      'No feed: start the board with `pnpm demo` (embedded simulator), or choose the real feed in Settings.'
    return
  }
  const restBase =
    source.restBase === undefined ? undefined : new URL(source.restBase || '/', location.href).href
  const feed: OddsFeed = createOddsFeed({
    url: source.url,
    ...(source.apiKey !== undefined && { apiKey: source.apiKey }),
    batch: 'animationFrame',
    // The socket has no snapshot: a watched fixture is filled from REST `/v4/odds` (by the core)
    // on first use and after every reconnect. Only with a REST API that is ours to call.
    // `fetch` bound here: the core calls its default as a method, which browsers refuse.
    snapshot:
      restBase === undefined
        ? false
        : { baseUrl: restBase, fetch: (url, init) => globalThis.fetch(url, init) },
  })
  const label =
    source.mode === 'simulator' ? 'simulator' : `real feed${source.apiKey ? '' : ' (no key)'}`
  mountHeader($('header'), feed, label)

  const seeder = restBase === undefined ? undefined : new RestSeeder(feed, restBase, source.apiKey)
  let view: Disposables | undefined
  let chosen: string | undefined
  const select = (fixtureId: string) => {
    if (fixtureId === chosen) return
    chosen = fixtureId
    view?.dispose()
    view = mountFixtureView($('view'), feed, fixtureId)
    if (location.hash !== `#fixture=${encodeURIComponent(fixtureId)}`) {
      history.replaceState(null, '', `#fixture=${encodeURIComponent(fixtureId)}`)
    }
  }
  mountFixtureList($('list'), feed, select)

  // After every (re)connection the fixture list is reloaded: the socket only sends what changes next.
  feed.status$.subscribe((status) => {
    if (status.state === 'open') void seeder?.fixtures()
  })

  const fromHash = /^#fixture=(.+)$/.exec(location.hash)?.[1]
  if (fromHash) select(decodeURIComponent(fromHash))
  addEventListener('pagehide', () => feed.close())
}

start()
