import { z } from 'zod';

/**
 * The browser host's WebSocket messages (the renderer side is renderer/src/bridge/ws-bridge.ts).
 *   client → host: {type:'invoke', id, name, input}
 *   host → client: {type:'result', id, result} | {type:'event', name, payload}
 * `name` and `input` are checked by the handler table (dispatch), not here, so a bad request
 * still gets a specific INVALID_INPUT answer with its id.
 */
export const InvokeMessage = z.strictObject({
  type: z.literal('invoke'),
  id: z.int().nonnegative(),
  name: z.unknown(),
  input: z.unknown().optional(),
});
export type InvokeMessage = z.infer<typeof InvokeMessage>;

/** 10,000 paths of 4,096 characters (the contract's bounds) plus JSON overhead. */
export const MAX_MESSAGE_BYTES = 48 * 1024 * 1024;
