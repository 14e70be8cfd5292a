/**
 * The Redis broker on its own, against a real redis-server: a follower too slow for the stream
 * (trimmed to a few dozen events) notices the gap and starts again from the saved state.
 */
import { type Fixture, mergeFrame, type OddsFrame } from '@oddsfeed/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Board, BrokerHandlers, RelayRole, WireEvent } from './broker.js'
import { SILENT } from './logger.js'
import { compareIds, RedisBroker } from './redis-broker.js'
import { type RedisProcess, startRedis } from './test-support/redis.js'
import { eventually, sleep } from './test-support/relay-client.js'

let redis: RedisProcess
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

const frame = (i: number): OddsFrame =>
  ({
    fixtureId: `f${i % 20}`,
    bookmakerOdds: {
      pinnacle: {
        markets: {
          '101': {
            outcomes: {
              [`${i % 3}`]: {
                players: {
                  '0': {
                    price: 1 + i / 1000,
                    changedAt: new Date(1_700_000_000_000 + i).toISOString(),
                  },
                },
              },
            },
          },
        },
      },
    },
  }) as unknown as OddsFrame

describe('RedisBroker', () => {
  it('orders stream ids', () => {
    expect(compareIds('5-1', '5-0')).toBeGreaterThan(0)
    expect(compareIds('10-0', '9-99')).toBeGreaterThan(0)
    expect(compareIds('7-3', '7-3')).toBe(0)
  })

  it('a follower that fell behind the trimmed stream reloads the state and ends equal', async () => {
    const options = { url: redis.url, prefix: 'gap', streamMaxLen: 20, saveMs: 50, renewMs: 200 }
    const leaderState = new Map<string, Fixture>()
    const noop = () => {}
    const leaderHandlers: BrokerHandlers = {
      role: noop,
      event: (event) => {
        if (event.type !== 'frame') return
        const id = event.frame.fixtureId
        leaderState.set(id, mergeFrame(leaderState.get(id), event.frame))
      },
      followed: noop,
      wants: noop,
      state: (fixtureId) => leaderState.get(fixtureId),
    }
    const leader = new RedisBroker(options, SILENT)
    await leader.start(leaderHandlers)

    let followerState = new Map<string, Fixture>()
    const roles: RelayRole[] = []
    const follower = new RedisBroker(options, SILENT)
    await follower.start({
      role: (role: RelayRole, board?: Board) => {
        roles.push(role)
        followerState = new Map(
          [...(board?.fixtures ?? new Map<string, string>())].map(([id, json]) => [
            id,
            JSON.parse(json) as Fixture,
          ]),
        )
      },
      event: noop,
      followed: (event: WireEvent) => {
        if (event.type !== 'frame') return
        const f = JSON.parse(event.text) as OddsFrame
        followerState.set(f.fixtureId, mergeFrame(followerState.get(f.fixtureId), f))
      },
      wants: noop,
      state: () => undefined,
    })
    expect(roles).toEqual(['follower'])
    try {
      // A burst far longer than the stream keeps: the follower cannot have read it all.
      for (let i = 0; i < 1_500; i++) {
        const f = frame(i)
        leader.publish({ type: 'frame', frame: f, text: JSON.stringify(f) })
      }
      await sleep(100)
      for (let i = 1_500; i < 1_600; i++) {
        const f = frame(i)
        leader.publish({ type: 'frame', frame: f, text: JSON.stringify(f) })
      }
      await eventually(
        () => {
          expect(followerState).toEqual(leaderState)
          expect(roles.length).toBeGreaterThan(1)
        },
        30_000,
        100,
      )
    } finally {
      await follower.stop()
      await leader.stop()
    }
  })
})
