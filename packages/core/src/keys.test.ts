import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isArrayIndex, isCanonicalDigits, skeletonOf } from './keys.js'

describe('keys', () => {
  it('isArrayIndex is what objects enumerate first', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat().map(String),
          fc.constantFrom('4294967294', '4294967295', '01', '-1', '1.5', '', ' 1', '1e3'),
          fc.string(),
        ),
        (key) => {
          // V8 puts array indexes first, in ascending order, before any named key
          const probe = JSON.parse(`{"~":null,${JSON.stringify(key)}:null}`) as object
          expect(isArrayIndex(key)).toBe(key !== '~' && Object.keys(probe)[0] === key)
        },
      ),
    )
  })

  it('isCanonicalDigits is String(Number(s)) === s for non-negative integers, up to a length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 4 })), (s) => {
        const canonical = /^\d+$/.test(s) && String(Number(s)) === s
        expect(isCanonicalDigits(s, 15)).toBe(canonical)
        expect(isCanonicalDigits(s, 2)).toBe(canonical && s.length <= 2)
      }),
    )
  })

  it('skeletonOf parses to exactly the keys, in their order, any key included', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.nat().map(String), fc.string()), { maxLength: 8 }),
        (all) => {
          const [extra, ...keys] = all
          const parsed = JSON.parse(skeletonOf(keys, extra)) as object
          const expected = Object.keys(
            Object.fromEntries(
              [...keys, ...(extra === undefined ? [] : [extra])].map((k) => [k, null]),
            ),
          )
          expect(Object.keys(parsed)).toEqual(expected)
          for (const key of expected) expect((parsed as Record<string, unknown>)[key]).toBeNull()
        },
      ),
    )
  })
})
