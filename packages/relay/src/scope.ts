/**
 * What one client may see: the token's optional `bookmakers` and `fixtures` claims, applied to
 * frames and snapshots before they are sent.
 * @module
 */
import type { Fixture, OddsFrame } from '@oddsfeed/core'

/**
 * What an authenticated client may see. Absent lists mean "everything". Returned by the
 * `authenticate` hook; the default hook reads it from the token's claims.
 */
export interface RelayScope {
  /** Only these bookmakers' odds are sent (`bookmakerOdds` is filtered). */
  readonly bookmakers?: readonly string[] | undefined
  /** Only these fixtures: subscribing to another is `forbidden`, plain v4 skips its frames. */
  readonly fixtures?: readonly string[] | undefined
  /** Who the client is, for logs (the token's `sub`). */
  readonly subject?: string | undefined
}

/** A {@link RelayScope} made fast to ask. */
export class ClientScope {
  /** A scope that allows everything. */
  static readonly ALL = new ClientScope({})

  private readonly bookmakers: ReadonlySet<string> | undefined
  private readonly fixtures: ReadonlySet<string> | undefined
  /** Whether frames are sent untouched (no bookmaker filter). */
  readonly allBookmakers: boolean
  readonly subject: string | undefined

  constructor(scope: RelayScope) {
    this.bookmakers = scope.bookmakers ? new Set(scope.bookmakers) : undefined
    this.fixtures = scope.fixtures ? new Set(scope.fixtures) : undefined
    this.allBookmakers = this.bookmakers === undefined
    this.subject = scope.subject
  }

  /** Whether the client may see this fixture. */
  allowsFixture(fixtureId: string): boolean {
    return this.fixtures === undefined || this.fixtures.has(fixtureId)
  }

  /**
   * The part of a frame the client may see: `bookmakerOdds` without the bookmakers outside the
   * scope; `undefined` when nothing of it is left to send (outside the fixtures, or a frame that
   * carried only other bookmakers' odds). The same object when nothing was cut.
   */
  frame(frame: OddsFrame): OddsFrame | undefined {
    if (!this.allowsFixture(frame.fixtureId)) return undefined
    const allowed = this.bookmakers
    const odds = frame.bookmakerOdds as Record<string, unknown> | undefined | null
    if (allowed === undefined || odds === undefined || odds === null || typeof odds !== 'object') {
      return frame
    }
    let cut = false
    const kept: Record<string, unknown> = {}
    let keptAny = false
    for (const key of Object.keys(odds)) {
      if (allowed.has(key)) {
        kept[key] = odds[key]
        keptAny = true
      } else cut = true
    }
    if (!cut) return frame
    if (!keptAny && !hasOtherFields(frame)) return undefined
    return { ...frame, bookmakerOdds: kept } as OddsFrame
  }

  /** A fixture's state as the client may see it (`null` stays `null`). */
  fixture(fixture: Fixture | undefined): Fixture | null {
    if (fixture === undefined || !this.allowsFixture(fixture.fixtureId)) return null
    const allowed = this.bookmakers
    const odds = fixture.bookmakerOdds as Record<string, unknown> | undefined | null
    if (allowed === undefined || odds === undefined || odds === null || typeof odds !== 'object') {
      return fixture
    }
    const kept: Record<string, unknown> = {}
    for (const key of Object.keys(odds)) if (allowed.has(key)) kept[key] = odds[key]
    return { ...fixture, bookmakerOdds: kept } as Fixture
  }
}

function hasOtherFields(frame: OddsFrame): boolean {
  for (const key of Object.keys(frame)) {
    if (key !== 'fixtureId' && key !== 'bookmakerOdds') return true
  }
  return false
}
