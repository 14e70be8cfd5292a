/** A real HTTP server on 127.0.0.1 standing in for the REST API in snapshot tests (Node only). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RestCall {
  fixtureId: string | null
  url: URL
  startedAt: number
}

export type RestHandler = (
  call: RestCall,
  n: number,
) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>

export interface TestRest {
  baseUrl: string
  calls: RestCall[]
  maxConcurrent: number
  setHandler(handler: RestHandler): void
  close(): Promise<void>
}

export async function startTestRest(initial: RestHandler): Promise<TestRest> {
  let handler = initial
  let concurrent = 0
  const state: TestRest = {
    baseUrl: '',
    calls: [],
    maxConcurrent: 0,
    setHandler: (h) => {
      handler = h
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const call = { fixtureId: url.searchParams.get('fixtureId'), url, startedAt: Date.now() }
    state.calls.push(call)
    concurrent++
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent)
    handler(call, state.calls.length).then(
      ({ status, body, headers }) => {
        concurrent--
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(typeof body === 'string' ? body : JSON.stringify(body))
      },
      () => {
        concurrent--
        res.destroy()
      },
    )
  })
  server.keepAliveTimeout = 100
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = state.close
  state.close = () => {
    server.closeAllConnections()
    return close()
  }
  return state
}
