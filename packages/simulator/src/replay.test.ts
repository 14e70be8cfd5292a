import { afterEach, describe, expect, it, vi } from 'vitest'
import { runReplay } from './replay.js'

const records = [
  { t: 1000, frame: { fixtureId: 'a' } },
  { t: 1100, frame: 'ping' },
  { t: 1400, frame: { fixtureId: 'b', statusId: 1 } },
]

afterEach(() => {
  vi.useRealTimers()
})

describe('runReplay', () => {
  it('keeps the original pace, scaled by speed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const sent: string[] = []
    const run = runReplay(records, (text) => sent.push(text), { speed: 2 })
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toEqual(['{"fixtureId":"a"}'])
    await vi.advanceTimersByTimeAsync(49) // t+100 at 2x = 50 ms
    expect(sent).toEqual(['{"fixtureId":"a"}', 'ping'])
    await vi.advanceTimersByTimeAsync(140)
    expect(sent).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(20) // t+400 at 2x = 200 ms
    expect(sent).toEqual(['{"fixtureId":"a"}', 'ping', '{"fixtureId":"b","statusId":1}'])
    await run.done
    expect(run.sent).toBe(3)
  })

  it('sends everything at once with speed 0, and loops until stopped', async () => {
    const sent: string[] = []
    const once = runReplay(records, (text) => sent.push(text), { speed: 0 })
    await once.done
    expect(sent).toHaveLength(3)

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const looped: string[] = []
    const run = runReplay(records, (text) => looped.push(text), { speed: 10, loop: true })
    await vi.advanceTimersByTimeAsync(200)
    expect(looped.length).toBeGreaterThan(6)
    expect(looped.slice(0, 6)).toEqual([...looped.slice(0, 3), ...looped.slice(0, 3)])
    run.stop()
    const n = looped.length
    await vi.advanceTimersByTimeAsync(200)
    expect(looped).toHaveLength(n)
    await run.done
  })
})
