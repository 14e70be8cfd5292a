/**
 * An endless stream made of a finite corpus without going stale. Case 5's runs take far more
 * frames than the corpus holds, so the server goes round it again and again. A second pass as it
 * was would carry the stamps the client stored on the first: its guards would drop every price
 * and period, and a run would time decode and a walk to the guard instead of merges. So each
 * pass after the first is the corpus a day later: every stamp of the stream is on one day
 * ({@link streamDay}), and pass `p` moves it on by `p` days (newer than every earlier pass, and
 * still in the past for a corpus of the generator's 2026-06-01 clock: no clock-skew guard is hit).
 * @module
 */

const DAY_MS = 86_400_000

/**
 * The one day (`YYYY-MM-DD`) every stamp of `frames` falls on (the generator's clock starts at
 * noon and moves a few milliseconds a frame). Throws if a stamp is on another day (a pass would
 * then not be moved whole), or if there is none.
 */
export function streamDay(frames: readonly string[]): string {
  const stamp = /"(\d{4}-\d\d-\d\d)T\d\d:/g
  let day: string | undefined
  for (const text of frames) {
    for (const match of text.matchAll(stamp)) {
      day ??= match[1]
      if (match[1] !== day) throw new Error(`passes: stamps on ${day} and ${match[1]}`)
    }
  }
  if (day === undefined) throw new Error('passes: the stream has no stamps')
  return day
}

/** The endless stream over `texts`: `frameAt(n)` is its frame `n` (0-based). */
export function endlessStream(texts: readonly string[]): (n: number) => string {
  const dayMs = Date.parse(`${streamDay(texts)}T00:00:00Z`)
  /** `"YYYY-MM-DDT` of each pass's day, by pass number. */
  const days: string[] = []
  const dayOf = (pass: number): string =>
    (days[pass] ??= `"${new Date(dayMs + pass * DAY_MS).toISOString().slice(0, 10)}T`)
  return (n) => {
    const text = texts[n % texts.length] as string
    const pass = Math.floor(n / texts.length)
    return pass === 0 ? text : text.replaceAll(dayOf(0), dayOf(pass))
  }
}
