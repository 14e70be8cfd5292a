/**
 * A `WebSocket` constructor (`ws`) that reports how each socket closed: `tail --exit-at-end`
 * tells a server that ended the feed (1000) from one that dropped it.
 * @module
 */
import type { WebSocketConstructor } from '@oddsfeed/core'
import WebSocket from 'ws'

/** Pass as `createOddsFeed({ WebSocket })`; `onClose` runs before the feed sees the close. */
export function closeWatchingWebSocket(
  onClose: (code: number, reason: string) => void,
): WebSocketConstructor {
  class CloseWatchingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.on('close', (code: number, reason: Buffer) => onClose(code, reason.toString('utf8')))
    }
  }
  return CloseWatchingWebSocket as unknown as WebSocketConstructor
}
