/**
 * The soak's frame source, in a worker thread: the generator's model (which keeps every fixture
 * it ever created) lives in this thread's heap, not in the heap the soak measures.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createGenerator } from '@oddsfeed/simulator'

const { seed, fixtures, batch } = workerData as { seed: number; fixtures: number; batch: number }
const generator = createGenerator({ seed, fixtures, bookmakers: 6 })

parentPort?.on('message', (count: number) => {
  const texts: string[] = new Array(Math.min(count, batch))
  for (let i = 0; i < texts.length; i++) texts[i] = JSON.stringify(generator.next())
  parentPort?.postMessage({ texts, fixturesCreated: generator.fixtureIds().length })
})
