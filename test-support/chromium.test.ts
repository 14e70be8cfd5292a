import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveChromium } from './chromium.js'

const scratch = mkdtempSync(join(tmpdir(), 'chromium-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('resolveChromium', () => {
  it('takes CHROMIUM_PATH first, and fails loudly when it points nowhere', async () => {
    const fake = join(scratch, 'my-chromium')
    writeFileSync(fake, '')
    await expect(resolveChromium({ CHROMIUM_PATH: fake }, [])).resolves.toEqual({
      executablePath: fake,
      source: 'CHROMIUM_PATH',
    })
    await expect(resolveChromium({ CHROMIUM_PATH: join(scratch, 'nope') }, [])).rejects.toThrow(
      /CHROMIUM_PATH=.*does not exist/,
    )
  })

  it('takes a system Chromium before the packaged one', async () => {
    const system = join(scratch, 'system-chromium')
    writeFileSync(system, '')
    const found = await resolveChromium({}, [join(scratch, 'absent'), system])
    expect(found).toEqual({ executablePath: system, source: 'system' })
  })

  it('unpacks the Chromium inside @sparticuz/chromium when there is no other, one copy for concurrent callers', async () => {
    // A temp directory of our own, so the unpacking really happens here (os.tmpdir reads TMPDIR).
    const saved = process.env.TMPDIR
    process.env.TMPDIR = mkdtempSync(join(scratch, 'tmp-'))
    try {
      const [a, b] = await Promise.all([resolveChromium({}, []), resolveChromium({}, [])])
      expect(a.source).toBe('@sparticuz/chromium')
      expect(a.executablePath.startsWith(process.env.TMPDIR)).toBe(true)
      expect(b.executablePath).toBe(a.executablePath)
      expect(statSync(a.executablePath).size).toBeGreaterThan(50_000_000)
      // no staging directory left behind by the caller that lost the race
      expect(readdirSync(process.env.TMPDIR)).toEqual([basename(dirname(a.executablePath))])
    } finally {
      if (saved === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = saved
    }
  }, 120_000)
})
