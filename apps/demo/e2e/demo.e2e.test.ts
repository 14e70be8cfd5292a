/**
 * The board end to end: a simulator on 127.0.0.1, the board built by Vite and served by its
 * preview server, driven in Chromium with playwright-core, at 1280×800 and at 390×844. Proves:
 * no horizontal overflow, names for every market listed, prices that move, sparklines that draw,
 * an odds format switch that changes every visible price, a fixture opened from the keyboard,
 * touch targets of 44 px on the phone, no console errors, a dropped connection followed, and no
 * long task over 50 ms at 2,000 frames/s for 10 s.
 *
 * `WRITE_SCREENSHOTS=1` also writes `docs/board-desktop.png`, `docs/board-phone.png` and
 * `docs/e2e-figures.json`; a plain `pnpm test` writes nothing into the checkout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { build, type PreviewServer, preview } from 'vite'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { CHROMIUM_LAUNCH } from '../../../vitest.workspace.js'
import { demoConfig } from '../vite.config.js'
import { E2E_KEY, startTestSimulator, type TestSimulator } from './simulator.js'

const DOCS = new URL('../../../docs/', import.meta.url)
/** Screenshots and figures go to docs/ only when asked: `pnpm test` leaves the checkout clean. */
const WRITE_DOCS = process.env.WRITE_SCREENSHOTS === '1'
const FIXTURES = 1000
const BASE_RATE = 100
const STRESS_RATE = 2000
const MEASURE_MS = 10_000

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, shot: 'board-desktop.png' },
  { name: 'phone', width: 390, height: 844, shot: 'board-phone.png' },
] as const

let sim: TestSimulator
let server: PreviewServer
let browser: Browser
let url: string
let outDir: string
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 7, fixtures: FIXTURES, rate: BASE_RATE })
  outDir = mkdtempSync(join(tmpdir(), 'oddsfeed-demo-'))
  const config = demoConfig({
    simulator: { url: sim.url, apiKey: E2E_KEY, restUrl: sim.restUrl },
    port: 0,
    outDir,
  })
  await build({ ...config, logLevel: 'error' })
  server = await preview({ ...config, logLevel: 'error' })
  browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true })
  url = server.resolvedUrls?.local[0] ?? ''
  if (!url) throw new Error('preview server has no local URL')
  expect(new URL(url).hostname).toBe('127.0.0.1')
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) =>
    server ? server.httpServer.close(() => resolve()) : resolve(),
  )
  await sim?.stop()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
  if (WRITE_DOCS && Object.keys(figures).length > 0) {
    writeFileSync(new URL('e2e-figures.json', DOCS), `${JSON.stringify(figures, null, 2)}\n`)
  }
})

/** `scrollWidth <= innerWidth`: nothing sticks out sideways. */
const overflow = (page: Page) =>
  page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))

const expectNoOverflow = async (page: Page) => {
  const o = await overflow(page)
  expect(
    o.scrollWidth,
    `page is ${o.scrollWidth} px wide in a ${o.innerWidth} px window`,
  ).toBeLessThanOrEqual(o.innerWidth)
}

/** Visible controls and fixture rows less than 44 px tall (touch targets). */
const smallTargets = (page: Page) =>
  page.$$eval('a, button, select, input, summary, tr[data-fixture-id]', (els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => ({
        what: `${e.tagName} ${e.textContent?.slice(0, 20)}`,
        h: e.getBoundingClientRect().height,
      }))
      .filter((b) => b.h < 44),
  )

/** Texts of every visible price of the board. */
const boardPrices = (page: Page) =>
  page.$$eval('.board-table td.best-cell .price', (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent ?? ''),
  )

/**
 * A priced best cell of a row that stays on the board while the test moves it. The default list
 * shows live fixtures first, by start time, then upcoming ones, capped per sport: the first live
 * row is the oldest match in play, the next to finish and leave the list. The live row that
 * kicked off last (or, with none live, the first upcoming row) stays: finished rows leave from
 * above it and new kickoffs land below it.
 */
const pickStableCell = async (page: Page) => {
  const cells = await page.$$eval('.board-table td.best-cell[data-price]', (tds) =>
    tds
      .filter((td) => (td as HTMLElement).offsetParent !== null && td.getAttribute('data-price'))
      .map((td) => {
        const row = td.closest('tr')
        return {
          fixtureId: row?.getAttribute('data-fixture-id') ?? '',
          status: row?.querySelector('td.col-time')?.getAttribute('data-status') ?? '',
          marketId:
            td.closest('table')?.querySelector('thead tr')?.getAttribute('data-market') ?? '',
          outcomeId: td.getAttribute('data-outcome') ?? '',
        }
      })
      .filter((c) => c.fixtureId && c.marketId && c.outcomeId),
  )
  // (each sport's table is sorted and capped on its own: the rule holds in whichever it falls)
  const pick =
    cells.filter((c) => c.status === '1').at(-1) ?? cells.find((c) => c.status === '0') ?? cells[0]
  if (!pick) throw new Error('no priced cell on the board')
  return pick
}

describe.each(VIEWPORTS)('the board at $width×$height', (viewport) => {
  let page: Page
  const consoleErrors: string[] = []

  beforeAll(async () => {
    sim.setRate(BASE_RATE)
    // REST cooldowns count per key, across pages: let the previous page's calls age out first
    await new Promise((resolve) => setTimeout(resolve, 2500))
    page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } })
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`)
    })
    await page.goto(url)
  })

  afterAll(async () => {
    await page?.close()
  })

  beforeEach(() => {
    onTestFailed(async () => {
      // for the investigation: a picture of the page as the test failed (never into the checkout)
      const file = join(tmpdir(), `oddsfeed-e2e-${viewport.name}-${Date.now()}.png`)
      await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined)
      console.log(`failure screenshot: ${file}`)
    })
  })

  it('lists fixtures by sport with the main market named and its best prices, without overflow', async () => {
    await page.waitForSelector('tr[data-fixture-id]', { timeout: 60_000 })
    await expect
      .poll(() => page.getByTestId('status-badge').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('open')
    // the catalogue named the main market of every sport table (no "Market 121", no "#121")
    await expect
      .poll(
        () =>
          page.$$eval('.board-table', (tables) =>
            tables.map((t) => ({
              market: t.querySelector('thead tr')?.getAttribute('data-market') ?? '',
              caption: t.querySelector('caption')?.textContent ?? '',
              heads: [...t.querySelectorAll('thead th.col-price')].map(
                (th) => th.textContent ?? '',
              ),
            })),
          ),
        { timeout: 30_000 },
      )
      .toSatisfy(
        (tables: { market: string; caption: string; heads: string[] }[]) =>
          tables.length >= 3 &&
          tables.every(
            (t) =>
              t.market !== '' &&
              !/Market \d+|main market/.test(t.caption) &&
              t.heads.length >= 2 &&
              t.heads.every((h) => h !== '' && !h.startsWith('#')),
          ),
      )
    // best prices arrive (REST snapshots of the rows shown, then the socket)
    await expect
      .poll(async () => (await boardPrices(page)).filter((p) => /\d/.test(p)).length, {
        timeout: 60_000,
      })
      .toBeGreaterThanOrEqual(6)
    // finished fixtures are not in the default (live and upcoming) list
    expect(await page.locator('.board-table td.col-time[data-status="2"]').count()).toBe(0)
    await expectNoOverflow(page)
    if (viewport.name === 'phone') expect(await smallTargets(page)).toEqual([])
  })

  it('moves a best price when a bookmaker beats it, with its direction and a sparkline', async () => {
    const { fixtureId, marketId, outcomeId } = await pickStableCell(page)
    const testId = `fixture-row-${fixtureId}`
    const priceOf = () =>
      page.getByTestId(testId).locator(`td[data-outcome="${outcomeId}"]`).getAttribute('data-price')
    let price = Number(await priceOf())
    for (const step of [0.41, 0.23]) {
      price = Math.round((price + step) * 100) / 100
      sim.setPrice({ fixtureId, bookmaker: 'pinnacle', marketId, outcomeId, playerId: '0' }, price)
      await expect.poll(priceOf, { timeout: 20_000 }).toBe(String(price))
    }
    const moved = page.getByTestId(testId).locator(`td[data-outcome="${outcomeId}"]`)
    await expect.poll(() => moved.locator('.dir').getAttribute('data-dir')).toBe('up')
    expect(await moved.locator('.by').textContent()).toContain('pinnacle')
    await expect
      .poll(() => moved.locator('svg.spark').getAttribute('data-points'))
      .toSatisfy((n: string | null) => Number(n) >= 2)
    expect((await moved.locator('svg.spark polyline').getAttribute('points'))?.trim()).toMatch(
      /^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/,
    )
  })

  it('shows real relative update times, not "now" on every row', async () => {
    await expect
      .poll(
        () =>
          page.$$eval('.board-table td.col-updated', (els) =>
            els.map((e) => e.textContent ?? '').filter(Boolean),
          ),
        { timeout: 30_000 },
      )
      .toSatisfy((texts: string[]) => texts.some((t) => /^\d+ (s|min|h) ago$/.test(t)))
  })

  it('changes every visible price with the odds format switch', async () => {
    const decimal = (await boardPrices(page)).filter((p) => /\d/.test(p))
    expect(decimal.length).toBeGreaterThan(3)
    for (const p of decimal) expect(p).toMatch(/^\d+\.\d{2,3}$/)
    const formats = [
      ['american', /^[+-]\d+$/],
      ['fractional', /^\d+\/\d+$/],
      ['implied', /^\d+\.\d%$/],
    ] as const
    for (const [format, shape] of formats) {
      await page.getByTestId('odds-format').selectOption(format)
      await expect
        .poll(async () => (await boardPrices(page)).filter((p) => /\d/.test(p)))
        .toSatisfy((prices: string[]) => prices.length > 3 && prices.every((p) => shape.test(p)))
    }
    await page.getByTestId('odds-format').selectOption('decimal')
    await expect
      .poll(async () => (await boardPrices(page)).filter((p) => /\d/.test(p)))
      .toSatisfy((prices: string[]) => prices.every((p) => /^\d+\.\d{2,3}$/.test(p)))
  })

  it('filters by sport, status and bookmaker, and searches', async () => {
    await page.getByTestId('filter-sport').selectOption({ label: 'Tennis' })
    await expect.poll(() => page.locator('section.sport').count()).toBe(1)
    expect(await page.locator('section.sport').getAttribute('data-sport')).toBe('12')
    await page.getByTestId('filter-status').selectOption('live')
    await expect
      .poll(() =>
        page.$$eval('.board-table td.col-time', (els) =>
          els.map((e) => e.getAttribute('data-status')),
        ),
      )
      .toSatisfy((s: (string | null)[]) => s.length > 0 && s.every((x) => x === '1'))
    const name = (await page.locator('tr[data-fixture-id] .teams').first().textContent()) as string
    await page.getByTestId('search').fill(name.split(' – ')[0] as string)
    await expect.poll(() => page.locator('tr[data-fixture-id]').count()).toBeGreaterThanOrEqual(1)
    for (const text of await page.locator('tr[data-fixture-id] .teams').allTextContents()) {
      expect(text).toContain(name.split(' – ')[0] as string)
    }
    await page.getByTestId('search').fill('')
    await page.getByTestId('filter-bookmaker').selectOption('bet365')
    await expect
      .poll(() => page.locator('.board-table td.best-cell .by').allTextContents())
      .toSatisfy(
        (by: string[]) =>
          by.filter(Boolean).length > 0 && by.filter(Boolean).every((b) => b === 'bet365'),
      )
    await page.getByTestId('filter-bookmaker').selectOption('')
    await page.getByTestId('filter-status').selectOption('open')
    await page.getByTestId('filter-sport').selectOption('')
    await expect.poll(() => page.locator('section.sport').count()).toBeGreaterThanOrEqual(3)
  })

  it('opens a fixture from the keyboard, names all its markets, charts a price, fits the screen', async () => {
    await page.locator('body').focus()
    let focused = false
    for (let i = 0; i < 40 && !focused; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() =>
        Boolean(document.activeElement?.matches('tr[data-fixture-id]')),
      )
    }
    expect(focused).toBe(true)
    const fixtureId = await page.evaluate(
      () => (document.activeElement as HTMLElement).dataset.fixtureId,
    )
    await page.keyboard.press('Enter')
    await expect.poll(() => page.url()).toContain(`#fixture=${fixtureId}`)
    await page.getByTestId('fixture-view').waitFor({ state: 'visible' })
    expect(await page.getByTestId('board').isHidden()).toBe(true)
    await page.getByTestId('market-grid').waitFor({ timeout: 30_000 })
    // the main market is chosen first, and every market is named by the catalogue
    const buttons = page.locator('[data-testid="market-list"] button')
    await expect.poll(() => buttons.count(), { timeout: 30_000 }).toBeGreaterThan(1)
    expect(await buttons.first().getAttribute('aria-pressed')).toBe('true')
    for (const text of await buttons.allTextContents()) expect(text).not.toMatch(/^Market \d+$/)
    for (const text of await page
      .locator('[data-testid="market-grid"] thead th')
      .allTextContents()) {
      expect(text).not.toMatch(/^#\d+/)
    }
    await expect
      .poll(() => page.locator('[data-testid="market-grid"] td.cell[data-price]').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(4)
    // a chart of one outcome across bookmakers
    await expect
      .poll(() => page.locator('[data-testid="price-chart"] path[data-bookmaker]').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(2)
    await expectNoOverflow(page)
    if (viewport.name === 'phone') expect(await smallTargets(page)).toEqual([])
  })

  it('shows the players tab across every bookmaker without cutting one off', async () => {
    const tab = page.getByTestId('tab-players')
    if (await tab.isDisabled()) return // a fixture whose sport has no player props
    await tab.click()
    await expect
      .poll(() => page.locator('[data-testid="market-grid"] td.cell[data-price]').count(), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0)
    const label = await page.locator('[data-testid="market-grid"] tbody th').first().textContent()
    expect(label).toMatch(/^[^,]+, [^·]+ · /)
    await expectNoOverflow(page)
    if (viewport.name === 'desktop') {
      const fit = await page.$eval('.grid-scroll', (e) => e.scrollWidth <= e.clientWidth)
      expect(fit).toBe(true)
    }
    await page.getByTestId('tab-markets').click()
  })

  it('goes back to the board with the back button, the fixture focused', async () => {
    const fixtureId = decodeURIComponent(new URL(page.url()).hash.replace('#fixture=', ''))
    await page.getByTestId('back').click()
    await page.getByTestId('board').waitFor({ state: 'visible' })
    await expect
      .poll(() =>
        page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.fixtureId),
      )
      .toBe(fixtureId)
    await expectNoOverflow(page)
  })

  it('has no long task over 50 ms in 10 s at 2,000 frames/s', async () => {
    sim.setRate(STRESS_RATE)
    await expect
      .poll(async () => Number(await page.getByTestId('frames-per-second').textContent()), {
        timeout: 30_000,
      })
      .toBeGreaterThan(STRESS_RATE / 4)
    // measure the steady state at that rate, not the ramp up to it
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const measure = () =>
      page.evaluate(async (windowMs) => {
        const tasks: number[] = []
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) tasks.push(entry.duration)
        })
        observer.observe({ type: 'longtask' })
        const fps: number[] = []
        const started = performance.now()
        while (performance.now() - started < windowMs) {
          await new Promise((resolve) => setTimeout(resolve, 1000))
          fps.push(Number(document.querySelector('[data-testid="frames-per-second"]')?.textContent))
        }
        observer.disconnect()
        return {
          tasks,
          fps,
          elapsedMs: performance.now() - started,
          supported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
        }
      }, MEASURE_MS)
    // A long task is one over 50 ms. On a shared machine another process can stretch one task
    // past that now and then, so up to three windows are measured: the page passes when one
    // whole window has none (a page that blocks regularly shows it in every window).
    const windows: Awaited<ReturnType<typeof measure>>[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      const window = await measure()
      windows.push(window)
      if (window.tasks.length === 0) break
    }
    const result = windows.at(-1) as Awaited<ReturnType<typeof measure>>
    if (WRITE_DOCS) {
      // the board after a busy while: sparklines drawn, prices moving
      writeFileSync(new URL(viewport.shot, DOCS), await page.screenshot({ type: 'png' }))
    }
    sim.setRate(BASE_RATE)
    const sorted = [...result.fps].sort((a, b) => a - b)
    figures[viewport.name] = {
      measuredAt: new Date().toISOString(),
      browser: `chromium ${browser.version()} (headless)`,
      viewport: `${viewport.width}x${viewport.height}`,
      fixtures: FIXTURES,
      targetFramesPerSecond: STRESS_RATE,
      observedFramesPerSecond: {
        median: sorted[Math.floor(sorted.length / 2)] ?? 0,
        min: sorted[0] ?? 0,
        max: sorted.at(-1) ?? 0,
      },
      windowMs: Math.round(result.elapsedMs),
      windowsMeasured: windows.length,
      // long tasks of the windows before the one that counts (other processes' load)
      longTasksInEarlierWindows: windows.slice(0, -1).reduce((n, w) => n + w.tasks.length, 0),
      longTasks: {
        count: result.tasks.length,
        totalMs: Math.round(result.tasks.reduce((a, b) => a + b, 0)),
        maxMs: Math.round(Math.max(0, ...result.tasks)),
      },
    }
    console.log(`demo e2e figures: ${JSON.stringify(figures[viewport.name])}`)
    expect(result.supported).toBe(true)
    expect(result.elapsedMs).toBeGreaterThanOrEqual(MEASURE_MS)
    expect(result.fps.length).toBeGreaterThanOrEqual(MEASURE_MS / 1000)
    expect(result.tasks).toEqual([])
  })

  it('follows a dropped connection: reconnecting, then open again', async () => {
    await page.evaluate(() => {
      const badge = document.querySelector('[data-testid="status-badge"]') as HTMLElement
      const seen: string[] = [badge.dataset.state ?? '']
      ;(window as unknown as { __badgeStates: string[] }).__badgeStates = seen
      new MutationObserver(() => seen.push(badge.dataset.state ?? '')).observe(badge, {
        attributes: true,
        attributeFilter: ['data-state'],
      })
    })
    sim.dropConnections()
    await expect
      .poll(
        () => page.evaluate(() => (window as unknown as { __badgeStates: string[] }).__badgeStates),
        { timeout: 30_000 },
      )
      .toContain('reconnecting')
    await expect
      .poll(() => page.getByTestId('status-badge').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('open')
    expect(await page.getByTestId('last-error').textContent()).not.toContain(E2E_KEY)
  })

  it('logged no console error and no page error all along', () => {
    expect(consoleErrors).toEqual([])
  })
})
