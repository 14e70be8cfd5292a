/**
 * Case 5's side stamps: the send times of the UI-shaped client's frames, which go to it
 * unchanged (no `sentAt` field), kept in a ring shared by the server's worker thread and the
 * client, indexed by the frame's number on that connection.
 * @module
 */

/** The client whose send stamps go aside ({@link SideStamps}) instead of into the frames. */
export const SIDE_STAMPED = 'ui'
/** Length of the side-stamp ring: more than the frames one connection ever has in flight. */
export const SIDE_STAMPS = 1 << 20
/** The side-stamp ring's memory: `SIDE_STAMPS` epoch-ms doubles, shared with the main thread. */
export type SideStamps = SharedArrayBuffer
