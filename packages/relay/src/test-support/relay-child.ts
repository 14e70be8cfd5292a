/**
 * A relay in its own process (so a test can SIGKILL it), controlled over IPC. Options come as
 * JSON in RELAY_OPTIONS; log lines go to the parent.
 */
import { type RelayOptions, startRelay } from '../relay.js'

const options = JSON.parse(process.env.RELAY_OPTIONS ?? '{}') as RelayOptions
const send = (message: unknown) => process.send?.(message)
const line = (level: string) => (message: string) =>
  send({ type: 'log', line: `${level} ${message}` })
const relay = await startRelay({
  ...options,
  logger: { info: line('info'), warn: line('warn'), error: line('error') },
})
send({ type: 'ready', url: relay.url, port: relay.port })

process.on('message', async (request: { type: string }) => {
  if (request.type === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    gc?.()
    send({ type: 'heap', heapUsed: process.memoryUsage().heapUsed })
  }
  if (request.type === 'stop') {
    await relay.stop()
    process.exit(0)
  }
})
process.on('disconnect', () => {
  void relay.stop().then(() => process.exit(0))
})
