/**
 * A simulator in its own process, controlled over IPC, so a test can block its own event loop
 * (a slow consumer) without slowing the feed it consumes.
 */
import { type SimulatorOptions, startSimulator } from '@oddsfeed/simulator'

type Request =
  | { type: 'rate'; rate: number }
  | { type: 'rest'; fixtureId: string }
  | { type: 'stats' }
  | { type: 'stop' }

const options = JSON.parse(process.env.SIM_OPTIONS ?? '{}') as SimulatorOptions
const sim = await startSimulator({ port: 0, ...options })
const send = (message: unknown) => process.send?.(message)
send({ type: 'ready', url: sim.url, restUrl: sim.restUrl, fixtureIds: sim.fixtureIds() })

process.on('message', async (request: Request) => {
  if (request.type === 'rate') {
    sim.setRate(request.rate)
    send({ type: 'rate' })
  } else if (request.type === 'rest') {
    send({ type: 'rest', body: sim.generator?.restOdds(request.fixtureId) ?? null })
  } else if (request.type === 'stats') {
    send({ type: 'stats', stats: sim.stats() })
  } else if (request.type === 'stop') {
    await sim.stop()
    process.exit(0)
  }
})
process.on('disconnect', () => {
  void sim.stop().then(() => process.exit(0))
})
