/**
 * The fixture list: sport, participants, status, score and last update; filtered by sport and
 * status, searched by id or name, paged. It renders at most every {@link LIST_REFRESH_MS} and
 * only the rows of the current page, so 1,000 fixtures at 2,000 frames/s cost a few dozen row
 * updates twice a second.
 * @module
 */
import type { Fixture, OddsFeed } from '@oddsfeed/core'
import { Disposables, h, setText } from './dom.js'
import { SPORT_NAMES, STATUS_NAMES, sportName, statusName } from './markets.js'

/** How often the list re-renders at most. */
export const LIST_REFRESH_MS = 400
/** Rows per page. */
export const PAGE_SIZE = 40

/** The score as `home–away`: the `result` period if sent, else the sum of the numbered ones. */
export function scoreOf(fixture: Fixture): string {
  const periods = fixture.scores?.periods
  if (!periods) return ''
  const result = periods.result ?? periods.fulltime
  if (result && typeof result.participant1Score === 'number') {
    return `${result.participant1Score}–${result.participant2Score ?? 0}`
  }
  let home = 0
  let away = 0
  let any = false
  for (const [key, period] of Object.entries(periods)) {
    if (!/^\d+$/.test(key)) continue
    any = true
    home += period.participant1Score ?? 0
    away += period.participant2Score ?? 0
  }
  return any ? `${home}–${away}` : ''
}

/** The fixture's participants, `Home – Away`. */
export function participants(fixture: Fixture): string {
  const home = fixture.participant1Name ?? fixture.participant1Id ?? '?'
  const away = fixture.participant2Name ?? fixture.participant2Id ?? '?'
  return `${home} – ${away}`
}

interface Row {
  el: HTMLTableRowElement
  cells: HTMLTableCellElement[]
  fixtureId: string | undefined
}

/** Mounts the list into `root`; `onSelect` is called with the chosen fixture's id. */
export function mountFixtureList(
  root: HTMLElement,
  feed: OddsFeed,
  onSelect: (fixtureId: string) => void,
): Disposables {
  const bag = new Disposables()
  const sport = h('select', { testid: 'filter-sport', 'aria-label': 'Sport' })
  const status = h('select', { testid: 'filter-status', 'aria-label': 'Status' })
  const search = h('input', {
    type: 'search',
    placeholder: 'Search id or name',
    testid: 'search',
    'aria-label': 'Search',
  })
  const prev = h('button', { type: 'button', testid: 'page-prev' }, '‹')
  const next = h('button', { type: 'button', testid: 'page-next' }, '›')
  const pageLabel = h('span', { testid: 'page-label' })
  const body = h('tbody', { testid: 'fixture-rows' })
  const empty = h('p', { class: 'empty', testid: 'fixture-empty' }, 'Waiting for fixtures…')

  status.append(h('option', { value: '' }, 'All statuses'))
  for (const [id, name] of Object.entries(STATUS_NAMES))
    status.append(h('option', { value: id }, name))
  sport.append(h('option', { value: '' }, 'All sports'))
  const sportsShown = new Set<string>()

  root.replaceChildren(
    h('div', { class: 'filters' }, sport, status, search),
    h(
      'table',
      { class: 'fixtures', testid: 'fixture-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Sport'),
          h('th', {}, 'Participants'),
          h('th', {}, 'Status'),
          h('th', {}, 'Score'),
          h('th', {}, 'Updated'),
        ),
      ),
      body,
    ),
    empty,
    h('div', { class: 'pager' }, prev, pageLabel, next),
  )

  const rows: Row[] = []
  for (let i = 0; i < PAGE_SIZE; i++) {
    const cells = Array.from({ length: 5 }, () => h('td'))
    const el = h('tr', { hidden: true }, ...cells)
    const row: Row = { el, cells, fixtureId: undefined }
    el.addEventListener('click', () => {
      if (row.fixtureId) {
        selected = row.fixtureId
        onSelect(row.fixtureId)
        render()
      }
    })
    rows.push(row)
    body.append(el)
  }

  let fixtures: ReadonlyMap<string, Fixture> = new Map()
  let dirty = true
  let page = 0
  let selected: string | undefined
  /** When a frame last touched each fixture (wall clock, ms). */
  const lastSeen = new Map<string, number>()

  bag.add(
    feed.fixtures$.subscribe((map) => {
      fixtures = map
      dirty = true
    }),
  )
  bag.add(feed.frames$.subscribe((frame) => lastSeen.set(frame.fixtureId, Date.now())))

  const refilter = () => {
    page = 0
    render()
  }
  sport.addEventListener('change', refilter)
  status.addEventListener('change', refilter)
  search.addEventListener('input', refilter)
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1)
    render()
  })
  next.addEventListener('click', () => {
    page++
    render()
  })

  function render(): void {
    dirty = false
    const wantSport = sport.value
    const wantStatus = status.value
    const query = search.value.trim().toLowerCase()
    const list: Fixture[] = []
    for (const fixture of fixtures.values()) {
      const sportKey = String(fixture.sportId ?? '')
      if (sportKey && !sportsShown.has(sportKey)) {
        sportsShown.add(sportKey)
        sport.append(h('option', { value: sportKey }, SPORT_NAMES[sportKey] ?? `Sport ${sportKey}`))
      }
      if (wantSport && sportKey !== wantSport) continue
      if (wantStatus && String(fixture.statusId ?? '') !== wantStatus) continue
      if (
        query &&
        !fixture.fixtureId.toLowerCase().includes(query) &&
        !participants(fixture).toLowerCase().includes(query)
      ) {
        continue
      }
      list.push(fixture)
    }
    // Live first, then by start time, then id: a stable order that does not jump per frame.
    list.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        start(a) - start(b) ||
        (a.fixtureId < b.fixtureId ? -1 : a.fixtureId > b.fixtureId ? 1 : 0),
    )
    const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE))
    page = Math.min(page, pages - 1)
    setText(pageLabel, `${page + 1} / ${pages} · ${list.length} shown`)
    prev.disabled = page === 0
    next.disabled = page >= pages - 1
    empty.hidden = list.length > 0
    const now = Date.now()
    for (let i = 0; i < PAGE_SIZE; i++) {
      const row = rows[i] as Row
      const fixture = list[page * PAGE_SIZE + i]
      if (!fixture) {
        row.el.hidden = true
        row.fixtureId = undefined
        continue
      }
      row.el.hidden = false
      if (row.fixtureId !== fixture.fixtureId) {
        row.fixtureId = fixture.fixtureId
        row.el.dataset.testid = `fixture-row-${fixture.fixtureId}`
        row.el.dataset.fixtureId = fixture.fixtureId
      }
      row.el.classList.toggle('selected', fixture.fixtureId === selected)
      const [c0, c1, c2, c3, c4] = row.cells as [
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
        HTMLTableCellElement,
      ]
      setText(c0, sportName(fixture.sportId))
      setText(c1, participants(fixture))
      setText(c2, statusName(fixture.statusId))
      setText(c3, scoreOf(fixture))
      const seen = lastSeen.get(fixture.fixtureId)
      setText(c4, seen === undefined ? '' : ago(now - seen))
    }
  }

  const timer = setInterval(() => {
    if (dirty || fixtures.size > 0) render()
  }, LIST_REFRESH_MS)
  bag.add(() => clearInterval(timer))
  render()
  return bag
}

function rank(fixture: Fixture): number {
  switch (fixture.statusId) {
    case 1:
      return 0
    case 0:
      return 1
    default:
      return 2
  }
}

function start(fixture: Fixture): number {
  const t = fixture.startTime
  if (typeof t === 'number') return t
  if (typeof t === 'string') return Date.parse(t) / 1000 || 0
  return 0
}

function ago(ms: number): string {
  if (ms < 1000) return 'now'
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`
  return `${Math.floor(ms / 60_000)} min ago`
}
