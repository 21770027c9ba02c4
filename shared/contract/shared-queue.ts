/**
 * The contract of Settings → Shared queue (issue 7): a desk opens a PostgreSQL queue beside its
 * own profile and shows either one's batches. The queue's password goes renderer -> host ->
 * keychain and never comes back: the status says only whether one is saved. shared/ runs in the
 * renderer too: zod only.
 */
import { z } from 'zod';
import { AbsolutePath, noNul } from './paths';

export const SharedQueueStatusSchema = z.object({
  configured: z.boolean(),
  /** The saved address, never with a password. */
  url: z.string().nullable(),
  /** user@host:port/database */
  endpoint: z.string().nullable(),
  /** This machine's path to the blob store, when set here. */
  blobs: z.string().nullable(),
  passwordSaved: z.boolean(),
  state: z.enum(['off', 'connecting', 'connected', 'lost']),
  /** Why the queue is lost (shown as a notice). */
  message: z.string().nullable(),
  /** Which batches the desk shows. */
  showing: z.enum(['local', 'shared']),
});
export type SharedQueueStatus = z.infer<typeof SharedQueueStatusSchema>;

export const SharedQueueTestSchema = z.object({
  endpoint: z.string(),
  serverVersion: z.string(),
  /** The queue's tables exist (`scandesk queue init` ran, or a desk or worker opened it). */
  initialized: z.boolean(),
  /** The blob root the queue records. */
  blobRoot: z.string().nullable(),
  /** Whether this machine can see the blob folder (the one given, else the recorded one); null when there is none. */
  blobsReadable: z.boolean().nullable(),
});
export type SharedQueueTest = z.infer<typeof SharedQueueTestSchema>;

const QueueUrl = z
  .string()
  .min(1)
  .max(2048)
  .refine(noNul, { message: 'must not contain NUL characters' })
  .refine((s) => /^postgres(ql)?:\/\//i.test(s.trim()), { message: 'must start with postgres://' });
const Password = z
  .string()
  .min(1)
  .max(1024)
  .refine((s) => !/[\0\r\n]/.test(s), { message: 'must not contain line breaks or NUL characters' })
  .optional();
const Address = { url: QueueUrl, password: Password, blobs: AbsolutePath.nullable().optional() };

export const sharedQueueRequests = {
  'sharedQueue.status': { input: z.strictObject({}), output: SharedQueueStatusSchema },
  /** Connects to a typed address without saving it. */
  'sharedQueue.test': { input: z.strictObject(Address), output: SharedQueueTestSchema },
  /** Saves the address (the password to the keychain) and opens the queue. */
  'sharedQueue.save': { input: z.strictObject(Address), output: SharedQueueStatusSchema },
  /** Closes the queue and forgets it on this desk. */
  'sharedQueue.forget': { input: z.strictObject({}), output: SharedQueueStatusSchema },
  /** Shows this desk's batches or the shared queue's. */
  'sharedQueue.show': { input: z.strictObject({ source: z.enum(['local', 'shared']) }), output: SharedQueueStatusSchema },
} as const;
