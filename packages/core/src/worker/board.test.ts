/**
 * `board$` across the worker boundary, unit by unit: the worker's patches from any
 * `ReadonlyMap` of rows, and the page's replica of them (structured clones, as `postMessage`
 * delivers them). End to end over a `MessageChannel`: `worker.test.ts`.
 */
import { Subject } from 'rxjs'
import { describe, expect, it } from 'vitest'
import type { BoardRow } from '../board.js'
import { BoardReplica, boardPatches } from './board.js'
import type { BoardPatch } from './protocol.js'

const row = (fixtureId: string, home: number, price = 2): BoardRow =>
  Object.freeze({
    fixtureId,
    statusId: 1,
    startTime: 1_780_000_000,
    participant1Name: 'A',
    participant2Name: 'B',
    sportId: 10,
    scores: Object.freeze({ result: Object.freeze({ participant1Score: home }) }),
    main: Object.freeze({
      marketId: '101',
      outcomes: Object.freeze([
        Object.freeze({ outcomeId: '101', best: Object.freeze({ price, bookmakers: ['x'] }) }),
        Object.freeze({ outcomeId: '102', best: undefined }),
      ]),
    }),
    updatedAt: undefined,
  }) as BoardRow

describe('boardPatches', () => {
  it('posts every row first, then only rows of another identity and the ids removed', () => {
    const boards = new Subject<ReadonlyMap<string, BoardRow>>()
    const patches: BoardPatch[] = []
    boardPatches(boards).subscribe((patch) => patches.push(patch))
    const [a, b, c] = [row('a', 0), row('b', 0), row('c', 0)]
    boards.next(new Map())
    boards.next(new Map([['a', a]]))
    boards.next(new Map([['a', a]])) // another map, the same row: nothing
    const b2 = row('b', 1)
    boards.next(
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
    )
    boards.next(
      new Map([
        ['b', b2],
        ['c', c],
      ]),
    )
    expect(patches).toEqual([
      { rows: [], removed: [] },
      { rows: [a], removed: [] },
      { rows: [b, c], removed: [] },
      { rows: [b2], removed: ['a'] },
    ])
  })
})

describe('BoardReplica', () => {
  it('shares unchanged rows, and the equal parts of a changed row, across maps', () => {
    const replica = new BoardReplica()
    const first = replica.apply(structuredClone({ rows: [row('a', 0), row('b', 0)], removed: [] }))
    const second = replica.apply(structuredClone({ rows: [row('b', 1)], removed: [] }))
    expect(second).not.toBe(first)
    expect(second.get('a')).toBe(first.get('a'))
    const [before, after] = [first.get('b'), second.get('b')]
    expect(after?.scores?.result?.participant1Score).toBe(1)
    expect(after?.main).toBe(before?.main)
    const third = replica.apply(structuredClone({ rows: [row('b', 1, 3)], removed: ['a'] }))
    expect([...third.keys()]).toEqual(['b'])
    expect(third.get('b')?.scores).toBe(after?.scores)
    expect(third.get('b')?.main).not.toBe(after?.main)
    // the outcome whose best did not move is the old object
    expect(third.get('b')?.main?.outcomes[1]).toBe(after?.main?.outcomes[1])
    expect(Object.isFrozen(third.get('b')?.main?.outcomes[0]?.best?.bookmakers)).toBe(true)
  })

  it('takes patches of one message that share objects (structured clone keeps them one)', () => {
    const replica = new BoardReplica()
    replica.apply(structuredClone({ rows: [row('a', 0), row('b', 0)], removed: [] }))
    const changed = row('a', 1, 5)
    const shared = { ...row('b', 0), main: changed.main, scores: changed.scores } as BoardRow
    // one message, two patches: the same row twice, and parts shared between rows
    const message = structuredClone([
      { rows: [changed], removed: [] },
      { rows: [changed, shared], removed: [] },
    ])
    const maps = message.map((patch) => replica.apply(patch))
    const last = maps[1]
    expect(new Map(last)).toEqual(
      new Map([
        ['a', changed],
        ['b', shared],
      ]),
    )
    expect(last?.get('a')).toBe(maps[0]?.get('a'))
    expect(Object.isFrozen(last?.get('b'))).toBe(true)
  })
})
