/**
 * The Redis broker: several relay instances, one upstream. The leader is whoever holds a lock
 * (`SET NX PX`, renewed; renewed and released only by its owner, with a compare script). It
 * appends every event to a Redis Stream (`XADD MAXLEN ~`) and keeps each fixture's merged state
 * in a hash, saved with the stream position it includes (one script, atomic); followers load
 * that state, then read the stream from that position (`XREAD BLOCK`), and take over the lock
 * when the leader stops renewing it.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Board, Broker, BrokerHandlers, RelayEvent, WireEvent } from './broker.js'
import type { RelayLogger } from './logger.js'

/** Options of the {@link RedisBroker}. */
export interface RedisBrokerOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string
  /** Prefix of every key. Default `oddsfeed:relay`. */
  prefix?: string | undefined
  /** The leader lock's time to live. Default 3 s: a dead leader is replaced within about 4 s. */
  lockTtlMs?: number | undefined
  /** How often the leader renews the lock and the others try to take it. Default 1 s. */
  renewMs?: number | undefined
  /** Approximate length the stream is trimmed to. Default 100,000 events. */
  streamMaxLen?: number | undefined
  /** How often the leader saves the state of the fixtures that changed. Default 100 ms. */
  saveMs?: number | undefined
  /** A follower's interest in a fixture lapses after this long unless renewed. Default 30 s. */
  wantTtlMs?: number | undefined
}

/** Renews the lock only when we hold it. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`
/** Releases the lock only when we hold it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`
/**
 * Saves fixtures' states (KEYS[1] hash), marks hydrated ones (KEYS[2] set) and records the
 * stream's (KEYS[3]) last id, which these states include, and how many entries the stream had
 * received up to it, in KEYS[4] (`id count`). ARGV: n, n pairs (fixtureId, json), then
 * hydrated ids.
 */
const SAVE = `
local last = redis.call('xrevrange', KEYS[3], '+', '-', 'COUNT', 1)
local pos = '0-0'
local added = 0
if last[1] then
  pos = last[1][1]
  local info = redis.call('xinfo', 'stream', KEYS[3])
  for i = 1, #info, 2 do if info[i] == 'entries-added' then added = info[i + 1] end end
end
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  local json = ARGV[3 + 2 * i]
  if json == 'null' then redis.call('hdel', KEYS[1], ARGV[2 + 2 * i])
  else redis.call('hset', KEYS[1], ARGV[2 + 2 * i], json) end
end
for i = 2 + 2 * n, #ARGV do redis.call('sadd', KEYS[2], ARGV[i]) end
redis.call('set', KEYS[4], pos .. ' ' .. added)
return pos`

/** Shares one upstream between instances through Redis. */
export class RedisBroker implements Broker {
  private readonly id = randomUUID()
  private readonly redis: Redis
  private readonly reader: Redis
  private readonly keys: {
    lock: string
    stream: string
    state: string
    hydrated: string
    pos: string
    wants: string
  }
  private readonly ttl: number
  private readonly renewMs: number
  private readonly maxLen: number
  private readonly saveMs: number
  private readonly wantTtl: number
  private handlers: BrokerHandlers | undefined
  private leader = false
  private stopped = false
  private electionTimer: ReturnType<typeof setInterval> | undefined
  private saveTimer: ReturnType<typeof setInterval> | undefined
  private wantsTimer: ReturnType<typeof setInterval> | undefined
  private following: Promise<void> | undefined
  private followingOn = false
  private followPos = '0-0'
  /** How many entries the stream had received up to `followPos` (to notice trimming). */
  private followIndex: number | undefined
  private dirty = new Set<string>()
  private newlyHydrated = new Set<string>()
  private readonly wanted = new Set<string>()
  private remoteWants = new Set<string>()
  private transition: Promise<void> = Promise.resolve()

  constructor(
    options: RedisBrokerOptions,
    private readonly log: RelayLogger,
  ) {
    const prefix = options.prefix ?? 'oddsfeed:relay'
    this.keys = {
      lock: `${prefix}:leader`,
      stream: `${prefix}:events`,
      state: `${prefix}:state`,
      hydrated: `${prefix}:hydrated`,
      pos: `${prefix}:pos`,
      wants: `${prefix}:wants`,
    }
    this.ttl = options.lockTtlMs ?? 3_000
    this.renewMs = options.renewMs ?? 1_000
    this.maxLen = options.streamMaxLen ?? 100_000
    this.saveMs = options.saveMs ?? 100
    this.wantTtl = options.wantTtlMs ?? 30_000
    const common = {
      maxRetriesPerRequest: null,
      lazyConnect: true,
      // reconnect quickly, until stopped
      retryStrategy: (attempt: number) => (this.stopped ? null : Math.min(attempt * 100, 1_000)),
    } as const
    this.redis = new Redis(options.url, { ...common, enableAutoPipelining: true })
    this.reader = new Redis(options.url, common)
    const where = new URL(options.url)
    where.username = where.password = ''
    this.where = where.toString()
    for (const connection of [this.redis, this.reader]) {
      connection.on('error', (error: Error) => {
        this.lastError = error.message
        if (!this.stopped) log.warn(`redis: ${error.message}`)
      })
    }
  }

  async start(handlers: BrokerHandlers): Promise<void> {
    this.handlers = handlers
    try {
      await Promise.all([this.redis.connect(), this.reader.connect()])
    } catch (error) {
      this.stopped = true
      this.redis.disconnect()
      this.reader.disconnect()
      throw new Error(
        `cannot reach Redis at ${this.where}: ${this.lastError ?? (error as Error).message}`,
      )
    }
    await this.elect()
    this.electionTimer = setInterval(() => {
      this.transition = this.transition
        .then(() => this.elect())
        .catch((error: Error) => {
          this.log.warn(`redis election: ${error.message}`)
        })
    }, this.renewMs)
    this.wantsTimer = setInterval(
      () => {
        void this.wantsTick().catch((error: Error) =>
          this.log.warn(`redis wants: ${error.message}`),
        )
      },
      Math.min(500, this.wantTtl / 3),
    )
  }

  publish(event: RelayEvent): void {
    this.handlers?.event(event)
    if (!this.leader) return
    const { stream } = this.keys
    const trim = ['MAXLEN', '~', String(this.maxLen), '*'] as const
    if (event.type === 'frame') {
      void this.redis.xadd(stream, ...trim, 't', 'f', 'd', event.text).catch(this.failed)
      this.dirty.add(event.frame.fixtureId)
    } else if (event.type === 'keepalive') {
      void this.redis.xadd(stream, ...trim, 't', 'k', 'd', event.text).catch(this.failed)
    } else if (event.type === 'reopened') {
      void this.redis.xadd(stream, ...trim, 't', 'o', 'd', '').catch(this.failed)
    } else {
      const json = event.fixture === undefined ? 'null' : JSON.stringify(event.fixture)
      void this.redis
        .xadd(stream, ...trim, 't', 'h', 'f', event.fixtureId, 'd', json)
        .catch(this.failed)
      this.dirty.add(event.fixtureId)
      this.newlyHydrated.add(event.fixtureId)
    }
  }

  want(fixtureId: string, wanted: boolean): void {
    if (wanted) {
      this.wanted.add(fixtureId)
      void this.redis
        .hset(this.keys.wants, `${fixtureId}\n${this.id}`, String(Date.now() + this.wantTtl))
        .catch(this.failed)
    } else if (this.wanted.delete(fixtureId)) {
      void this.redis.hdel(this.keys.wants, `${fixtureId}\n${this.id}`).catch(this.failed)
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.electionTimer)
    clearInterval(this.wantsTimer)
    clearInterval(this.saveTimer)
    await this.transition.catch(() => {})
    try {
      if (this.leader) {
        await this.save()
        await this.redis.eval(RELEASE, 1, this.keys.lock, this.id)
      }
      if (this.wanted.size > 0) {
        await this.redis.hdel(this.keys.wants, ...[...this.wanted].map((f) => `${f}\n${this.id}`))
      }
    } catch {
      // Redis gone: the lock expires by itself
    }
    this.leader = false
    this.followingOn = false
    this.reader.disconnect()
    await this.following?.catch(() => {})
    await this.redis.quit().catch(() => this.redis.disconnect())
    this.handlers = undefined
  }

  private readonly failed = (error: Error) => {
    if (!this.stopped) this.log.warn(`redis: ${error.message}`)
  }

  /** One round of the election: renew the lock we hold, or try to take it. */
  private async elect(): Promise<void> {
    if (this.stopped) return
    if (this.leader) {
      const renewed = await this.redis.eval(RENEW, 1, this.keys.lock, this.id, String(this.ttl))
      if (Number(renewed) !== 1) {
        this.log.warn('redis: lost the leader lock')
        await this.becomeFollower()
      }
      return
    }
    const taken = await this.redis.set(this.keys.lock, this.id, 'PX', this.ttl, 'NX')
    if (taken === 'OK') await this.becomeLeader()
    else if (!this.following) await this.becomeFollower()
  }

  private async becomeLeader(): Promise<void> {
    // Read what the old leader wrote up to now, then stop following.
    const following = this.following
    this.following = undefined
    this.followingOn = false
    if (following) {
      this.reader.disconnect()
      await following.catch(() => {})
      await this.readOnce(0).catch(() => {})
    }
    if (this.stopped) return
    this.leader = true
    this.dirty.clear()
    this.newlyHydrated.clear()
    this.handlers?.role('leader')
    this.handlers?.wants(this.remoteWants)
    this.saveTimer = setInterval(() => {
      void this.save().catch(this.failed)
    }, this.saveMs)
  }

  private async becomeFollower(): Promise<void> {
    this.leader = false
    clearInterval(this.saveTimer)
    this.saveTimer = undefined
    const board = await this.loadBoard()
    if (this.stopped) return
    this.handlers?.role('follower', board)
    for (const fixtureId of this.wanted) this.want(fixtureId, true)
    this.followingOn = true
    this.following = this.follow()
  }

  /** The state and the stream position it includes, read atomically. */
  private async loadBoard(): Promise<Board> {
    const result = await this.redis
      .multi()
      .hgetall(this.keys.state)
      .smembers(this.keys.hydrated)
      .get(this.keys.pos)
      .exec()
    const [state, hydrated, pos] = (result ?? []).map(([error, value]) => {
      if (error) throw error
      return value
    }) as [Record<string, string>, string[], string | null]
    const [id, count] = (pos ?? '0-0 0').split(' ')
    this.followPos = id ?? '0-0'
    this.followIndex = count === undefined ? undefined : Number(count)
    return { fixtures: new Map(Object.entries(state ?? {})), hydrated: new Set(hydrated) }
  }

  private async follow(): Promise<void> {
    if (this.reader.status === 'end' || this.reader.status === 'close') await this.reader.connect()
    while (!this.stopped && !this.leader && this.followingOn) {
      try {
        await this.readOnce(500)
        if (this.followingOn && (await this.trimmedPast())) {
          // The stream was trimmed past what we had read: start again from the saved state.
          this.log.warn('redis: this follower fell behind the trimmed stream; reloading the state')
          const board = await this.loadBoard()
          if (!this.followingOn || this.stopped) return
          this.handlers?.role('follower', board)
        }
      } catch (error) {
        if (this.stopped || !this.followingOn) return
        this.log.warn(`redis follow: ${(error as Error).message}`)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  /**
   * Whether entries this follower has not read yet were trimmed away: the stream received
   * `entries-added` entries and holds the last `length` of them, so the first `added - length`
   * are gone; we have read the first `followIndex`.
   */
  private async trimmedPast(): Promise<boolean> {
    if (this.followIndex === undefined) return false
    const info = (await this.reader.call('XINFO', 'STREAM', this.keys.stream).catch(() => null)) as
      | unknown[]
      | null
    if (!info) return false
    const field = (name: string) => Number(info[info.indexOf(name) + 1])
    return field('entries-added') - field('length') > this.followIndex
  }

  /**
   * Reads the stream once from where we are (`blockMs` 0: without blocking); returns the id of
   * the first entry read.
   */
  private async readOnce(blockMs: number): Promise<string | undefined> {
    const connection = blockMs > 0 ? this.reader : this.redis
    const reply = (
      blockMs > 0
        ? await connection.xread(
            'COUNT',
            1000,
            'BLOCK',
            blockMs,
            'STREAMS',
            this.keys.stream,
            this.followPos,
          )
        : await connection.xread('COUNT', 100_000, 'STREAMS', this.keys.stream, this.followPos)
    ) as Array<[string, Array<[string, string[]]>]> | null
    if (!reply) return undefined
    let first: string | undefined
    for (const [, entries] of reply) {
      for (const [id, fields] of entries) {
        first ??= id
        this.followPos = id
        if (this.followIndex !== undefined) this.followIndex++
        const event = wireEvent(fields)
        if (event) this.handlers?.followed(event)
      }
    }
    return first
  }

  /** Leader: saves the fixtures that changed since the last save, with the stream position. */
  private async save(): Promise<void> {
    if (!this.leader) return
    if (Date.now() >= this.pruneAt) {
      // Fixtures the leader no longer holds (evicted by the core) leave the hash too.
      this.pruneAt = Date.now() + 60_000
      for (const fixtureId of await this.redis.hkeys(this.keys.state)) {
        if (this.handlers?.state(fixtureId) === undefined) this.dirty.add(fixtureId)
      }
    }
    if (this.dirty.size === 0 && this.newlyHydrated.size === 0) return
    const dirty = this.dirty
    const hydrated = this.newlyHydrated
    this.dirty = new Set()
    this.newlyHydrated = new Set()
    const args: string[] = [String(dirty.size)]
    for (const fixtureId of dirty) {
      const fixture = this.handlers?.state(fixtureId)
      args.push(fixtureId, fixture === undefined ? 'null' : JSON.stringify(fixture))
    }
    args.push(...hydrated)
    const { state, hydrated: hydratedKey, stream, pos } = this.keys
    await this.redis.eval(SAVE, 4, state, hydratedKey, stream, pos, ...args)
  }

  /** Follower: renews its interests. Leader: reads everyone's. */
  private async wantsTick(): Promise<void> {
    if (this.stopped) return
    const now = Date.now()
    if (!this.leader) {
      this.wantRefreshAt ??= now
      if (now >= this.wantRefreshAt && this.wanted.size > 0) {
        this.wantRefreshAt = now + this.wantTtl / 3
        const expiry = String(now + this.wantTtl)
        const fields = [...this.wanted].flatMap((f) => [`${f}\n${this.id}`, expiry])
        await this.redis.hset(this.keys.wants, ...fields)
      }
      return
    }
    const all = await this.redis.hgetall(this.keys.wants)
    const wants = new Set<string>()
    const expired: string[] = []
    for (const [field, expiry] of Object.entries(all)) {
      if (Number(expiry) < now) expired.push(field)
      else wants.add(field.slice(0, field.indexOf('\n')))
    }
    if (expired.length > 0) await this.redis.hdel(this.keys.wants, ...expired)
    if (!sameSet(wants, this.remoteWants)) {
      this.remoteWants = wants
      if (this.leader) this.handlers?.wants(wants)
    }
  }

  private wantRefreshAt: number | undefined
  private lastError: string | undefined
  private pruneAt = Date.now() + 60_000
  /** The Redis URL without credentials, for messages. */
  private readonly where: string
}

function wireEvent(fields: string[]): WireEvent | undefined {
  const get = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
    return undefined
  }
  const type = get('t')
  const data = get('d')
  if (data === undefined) return undefined
  if (type === 'f') return { type: 'frame', text: data }
  if (type === 'k') return { type: 'keepalive', text: data }
  if (type === 'o') return { type: 'reopened' }
  const fixtureId = get('f')
  if (type === 'h' && fixtureId !== undefined) return { type: 'hydrated', fixtureId, json: data }
  return undefined
}

/** Orders two stream ids (`ms-seq`). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number)
  const [bm = 0, bs = 0] = b.split('-').map(Number)
  return am === bm ? as - bs : am - bm
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false
  for (const x of a) if (!b.has(x)) return false
  return true
}
