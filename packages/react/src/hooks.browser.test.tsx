import type { OddsFeed } from '@oddsfeed/core'
import { StrictMode, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { OddsFeedProvider, useOddsFeed } from './context.js'
import { useFeedStatus, useMarket, useSelect, useSync } from './hooks.js'
import { countingFeed, priceFrame } from './test-support/counting-feed.js'

const feeds: OddsFeed[] = []
afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close()
})
function setup() {
  const made = countingFeed()
  feeds.push(made.feed)
  return made
}

/** Renders per cell, by outcome id. */
type Renders = Record<string, number>

function Cell(props: { feed: OddsFeed; outcomeId: number; renders: Renders }) {
  props.renders[props.outcomeId] = (props.renders[props.outcomeId] ?? 0) + 1
  // a new path object on every render, as users write it
  const entry = useSelect(props.feed, {
    fixtureId: 'f1',
    bookmaker: 'pinnacle',
    marketId: 101,
    outcomeId: props.outcomeId,
    playerId: 0,
  })
  return <span data-testid={`cell-${props.outcomeId}`}>{entry ? entry.price.toFixed(2) : '–'}</span>
}

function Board(props: { feed: OddsFeed; renders: Renders; tick?: number }) {
  return (
    <div data-tick={props.tick}>
      <Cell feed={props.feed} outcomeId={101} renders={props.renders} />
      <Cell feed={props.feed} outcomeId={102} renders={props.renders} />
    </div>
  )
}

function Switch({ feed }: { feed: OddsFeed }) {
  const [outcomeId, setOutcome] = useState(101)
  const entry = useSelect(feed, {
    fixtureId: 'f1',
    bookmaker: 'pinnacle',
    marketId: 101,
    outcomeId,
    playerId: 0,
  })
  return (
    <button type="button" onClick={() => setOutcome(102)}>
      {entry?.price}
    </button>
  )
}

function Pair({ feed, commits }: { feed: OddsFeed; commits: string[] }) {
  const path = { fixtureId: 'f1', bookmaker: 'pinnacle', marketId: 101, playerId: 0 } as const
  const a = useSelect(feed, { ...path, outcomeId: 101 })
  const b = useSelect(feed, { ...path, outcomeId: 102 })
  commits.push(`${a?.price}/${b?.price}`)
  return null
}

function Best({ feed, renders }: { feed: OddsFeed; renders: Renders }) {
  renders.best = (renders.best ?? 0) + 1
  const view = useMarket(feed, { fixtureId: 'f1', marketId: 101 })
  const best = view.outcomes[0]?.best
  return <p>{best ? `${best.price} ${best.bookmakers.join(',')}` : 'none'}</p>
}

function Status() {
  const own = useOddsFeed()
  const status = useFeedStatus(own)
  const sync = useSync(own, 'f1')
  return <p>{`${status.state} ${sync.state}`}</p>
}

function Orphan() {
  useOddsFeed()
  return null
}

describe('useSelect', () => {
  it('re-renders a cell only when its slice changes', async () => {
    const { feed } = setup()
    feed.ingest(priceFrame(101, 1.5))
    feed.ingest(priceFrame(102, 2.5))
    await Promise.resolve()
    const renders: Renders = {}
    const screen = await render(<Board feed={feed} renders={renders} />)
    await expect.element(screen.getByTestId('cell-101')).toHaveTextContent('1.50')
    await expect.element(screen.getByTestId('cell-102')).toHaveTextContent('2.50')
    const before = { ...renders }

    feed.ingest(priceFrame(101, 1.6, 'pinnacle', 1))
    await expect.element(screen.getByTestId('cell-101')).toHaveTextContent('1.60')
    expect(renders[101]).toBe((before[101] ?? 0) + 1)
    expect(renders[102]).toBe(before[102])

    // another bookmaker, and an identical re-send: no slice changed, nothing renders; then a
    // change of the other cell, in a later batch, proves those two were processed before it
    feed.ingest(priceFrame(101, 9.9, 'bet365', 1))
    feed.ingest(priceFrame(101, 1.6, 'pinnacle', 1))
    await Promise.resolve()
    feed.ingest(priceFrame(102, 2.7, 'pinnacle', 2))
    await expect.element(screen.getByTestId('cell-102')).toHaveTextContent('2.70')
    expect(renders[101]).toBe((before[101] ?? 0) + 1)
    expect(renders[102]).toBe((before[102] ?? 0) + 1)
  })

  it('keeps one subscription across re-renders with a new but equal path object', async () => {
    const { feed, counts } = setup()
    const renders: Renders = {}
    const screen = await render(<Board feed={feed} renders={renders} tick={0} />)
    expect(counts.open.select).toBe(2)
    for (let tick = 1; tick <= 5; tick++) {
      await screen.rerender(<Board feed={feed} renders={renders} tick={tick} />)
    }
    expect(renders[101]).toBeGreaterThanOrEqual(6)
    expect(counts.opened.select).toBe(2)
    expect(counts.open.select).toBe(2)
  })

  it('unsubscribes on unmount', async () => {
    const { feed, counts } = setup()
    const screen = await render(<Board feed={feed} renders={{}} />)
    expect(counts.open.select).toBe(2)
    await screen.unmount()
    expect(counts.open.select).toBe(0)
  })

  it('leaves one subscription per hook after StrictMode double mount', async () => {
    const { feed, counts } = setup()
    const screen = await render(
      <StrictMode>
        <Board feed={feed} renders={{}} />
      </StrictMode>,
    )
    feed.ingest(priceFrame(102, 3.25))
    await expect.element(screen.getByTestId('cell-102')).toHaveTextContent('3.25')
    expect(counts.opened.select).toBeGreaterThan(2) // StrictMode did mount twice
    expect(counts.open.select).toBe(2)
    await screen.unmount()
    expect(counts.open.select).toBe(0)
  })

  it('moves its one subscription when the path changes', async () => {
    const { feed, counts } = setup()
    feed.ingest(priceFrame(101, 1.5))
    feed.ingest(priceFrame(102, 2.5))
    const screen = await render(<Switch feed={feed} />)
    await expect.element(screen.getByRole('button')).toHaveTextContent('1.5')
    await screen.getByRole('button').click()
    await expect.element(screen.getByRole('button')).toHaveTextContent('2.5')
    expect(counts.open.select).toBe(1)
  })

  it('never tears: cells of one batch show the same version in one commit', async () => {
    const { feed } = setup()
    feed.ingest(priceFrame(101, 1.5))
    feed.ingest(priceFrame(102, 2.5))
    const commits: string[] = []
    await render(<Pair feed={feed} commits={commits} />)
    // one batch (microtask) carrying both changes
    feed.ingest(priceFrame(101, 1.6, 'pinnacle', 1))
    feed.ingest(priceFrame(102, 2.6, 'pinnacle', 1))
    await vi.waitFor(() => expect(commits.at(-1)).toBe('1.6/2.6'))
    expect(commits).not.toContain('1.6/2.5')
    expect(commits).not.toContain('1.5/2.6')
  })
})

describe('useMarket, useSync, useFeedStatus, the provider', () => {
  it('compares a market across bookmakers and re-renders when it changes', async () => {
    const { feed, counts } = setup()
    feed.ingest(priceFrame(101, 1.5))
    feed.ingest(priceFrame(101, 1.7, 'bet365'))
    const renders: Renders = {}
    const screen = await render(<Best feed={feed} renders={renders} />)
    await expect.element(screen.getByText('1.7 bet365')).toBeVisible()
    const mounted = renders.best ?? 0
    feed.ingest(priceFrame(101, 1.9, 'pinnacle', 1))
    await expect.element(screen.getByText('1.9 pinnacle')).toBeVisible()
    expect(renders.best).toBe(mounted + 1)
    expect(counts.open.market$).toBe(1)
    await screen.unmount()
    expect(counts.open.market$).toBe(0)
  })

  it('shows sync state and feed status, and hands the feed down through the provider', async () => {
    const { feed, counts } = setup()
    const screen = await render(
      <OddsFeedProvider feed={feed}>
        <Status />
      </OddsFeedProvider>,
    )
    await expect.element(screen.getByText('idle unhydrated')).toBeVisible()
    expect(counts.open.status$).toBe(1)
    expect(counts.open.sync$).toBe(1)
    feed.close()
    await expect.element(screen.getByText('closed unhydrated')).toBeVisible()
  })

  it('says what is missing when there is no provider', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(render(<Orphan />)).rejects.toThrow(/OddsFeedProvider/)
    error.mockRestore()
  })
})
