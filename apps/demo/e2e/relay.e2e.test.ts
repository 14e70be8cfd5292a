/**
 * The board via the relay, end to end (`DEMO_RELAY=1 pnpm demo`'s wiring): simulator →
 * `@oddsfeed/relay` → the board built by Vite and served by its preview server (which hands out
 * tokens at `/token`, as an app's backend would), driven in Chromium with playwright-core.
 * Proves: fixtures listed and priced, a price moved at the simulator reaching its cell, the
 * header saying "via relay", and a page that connects to the relay with a token, holds no key and
 * makes no `/v4/odds` call (the relay's snapshots hydrate).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { build, type PreviewServer, preview } from 'vite'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { CHROMIUM_LAUNCH } from '../../../vitest.workspace.js'
import { type DemoRelay, startDemoRelay } from '../scripts/relay.js'
import { demoConfig, TOKEN_PATH } from '../vite.config.js'
import { E2E_KEY, startTestSimulator, type TestSimulator } from './simulator.js'

let sim: TestSimulator
let relay: DemoRelay
let server: PreviewServer
let browser: Browser
let page: Page
let outDir: string
const requests: string[] = []
const sockets: string[] = []
const consoleErrors: string[] = []

beforeAll(async () => {
  sim = await startTestSimulator({ seed: 11, fixtures: 120, rate: 50 })
  const simulator = { url: sim.url, apiKey: E2E_KEY, restUrl: sim.restUrl }
  relay = await startDemoRelay(simulator)
  outDir = mkdtempSync(join(tmpdir(), 'oddsfeed-demo-relay-'))
  const config = demoConfig({
    simulator,
    relay: { url: relay.url, token: relay.token },
    port: 0,
    outDir,
  })
  await build({ ...config, logLevel: 'error' })
  server = await preview({ ...config, logLevel: 'error' })
  const url = server.resolvedUrls?.local[0] ?? ''
  if (!url) throw new Error('preview server has no local URL')
  browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true })
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('request', (request) => requests.push(request.url()))
  page.on('websocket', (socket) => sockets.push(socket.url()))
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`)
  })
  await page.goto(url)
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) =>
    server ? server.httpServer.close(() => resolve()) : resolve(),
  )
  await relay?.stop()
  await sim?.stop()
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

describe('the board via the relay', () => {
  it('lists priced fixtures and moves a price, with no key and no /v4/odds call in the page', async () => {
    onTestFailed(async () => {
      const file = join(tmpdir(), `oddsfeed-e2e-relay-${Date.now()}.png`)
      await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined)
      console.log(`failure screenshot: ${file}`, { requests, sockets, consoleErrors })
    })
    await page.waitForSelector('tr[data-fixture-id]', { timeout: 60_000 })
    expect(await page.getByTestId('feed-source').textContent()).toBe('via relay')
    await expect
      .poll(() => page.getByTestId('status-badge').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('open')
    // best prices arrive: the relay's snapshots of the rows shown, then its frames
    await expect
      .poll(
        () =>
          page.$$eval(
            '.board-table td.best-cell[data-price]:not([data-price=""])',
            (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length,
          ),
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(6)

    // a bookmaker beats a best price at the simulator: the cell follows, through the relay
    const cell = page.locator('.board-table td.best-cell[data-price]:not([data-price=""])').first()
    const fixtureId = (await cell
      .locator('xpath=ancestor::tr[1]')
      .getAttribute('data-fixture-id')) as string
    const marketId = (await cell
      .locator('xpath=ancestor::table[1]//thead/tr')
      .getAttribute('data-market')) as string
    const outcomeId = (await cell.getAttribute('data-outcome')) as string
    const priceOf = () =>
      page
        .getByTestId(`fixture-row-${fixtureId}`)
        .locator(`td[data-outcome="${outcomeId}"]`)
        .getAttribute('data-price')
    let price = Number(await priceOf())
    for (const step of [0.37, 0.19]) {
      price = Math.round((price + step) * 100) / 100
      sim.setPrice({ fixtureId, bookmaker: 'pinnacle', marketId, outcomeId, playerId: '0' }, price)
      await expect.poll(priceOf, { timeout: 20_000 }).toBe(String(price))
    }

    // one socket, to the relay, with a token from this origin's /token; no key, no /v4/odds
    const relayHost = new URL(relay.url).host
    expect(sockets.length).toBeGreaterThanOrEqual(1)
    for (const socket of sockets) {
      const url = new URL(socket)
      expect(url.host).toBe(relayHost)
      expect(url.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
      expect(url.searchParams.has('apiKey')).toBe(false)
    }
    expect(sockets.some((s) => s.includes(new URL(sim.url).host))).toBe(false)
    const paths = requests.map((r) => new URL(r).pathname)
    expect(paths).toContain(TOKEN_PATH)
    expect(paths).toContain('/v4/fixtures')
    expect(paths.filter((p) => p.startsWith('/v4/odds'))).toEqual([])
    for (const r of [...requests, ...sockets]) expect(r).not.toContain(E2E_KEY)
    // nor does the page's code know the simulator: the build embeds the relay's URL only
    for (const file of readdirSync(join(outDir, 'assets'))) {
      if (!file.endsWith('.js')) continue
      const code = readFileSync(join(outDir, 'assets', file), 'utf8')
      expect(code).not.toContain(E2E_KEY)
      expect(code).not.toContain(new URL(sim.url).host)
    }
    expect(consoleErrors).toEqual([])
  })
})
