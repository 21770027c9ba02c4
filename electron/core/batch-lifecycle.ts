import type { BatchStatus } from '../../shared/batch';
import { ScanError } from './errors';

/**
 * A batch's life cycle as one table: for each status and each action, what happens. Every
 * store applies it the same way (store/*-store.ts `changeBatch`): in one transaction it reads
 * the batch's status (locked against other writers), looks the rule up here, runs the action's
 * effect on the jobs, then moves the batch to the status the rule names for what the effect did.
 *
 *   running  --pause-->  paused  --resume-->  running  --settle (nothing left)-->  done
 *   running/paused --cancel--> cancelled;  done/paused/cancelled --rerun, retryFailed--> running
 *
 * Actions:
 * - pause: stop claiming its pages (pages in flight finish).
 * - resume: claim again; engines stopped for the batch get another chance.
 * - cancel: waiting pages are cancelled; pages in flight finish and are kept.
 * - finishWithoutStopped: pages waiting for a stopped engine fail with its reason.
 * - rerun: every page read gets a job for another engine or task.
 * - retryFailed: failed pages run again (and pages intake could not read are read again).
 * - addItems: pages join the batch (a hot folder, a document expanded page by page).
 * - settle: after a page settled: nothing left to claim or finish -> done (paused when a
 *   stopped engine's pages wait).
 */
export type BatchAction = 'pause' | 'resume' | 'cancel' | 'finishWithoutStopped' | 'rerun' | 'retryFailed' | 'addItems' | 'settle';

/** What the action's effect did, as the rule's `to` needs it. */
export interface Effect {
  /** Jobs the effect queued, settled or unblocked (0: it found nothing to do). */
  count: number;
  /** After the effect: jobs still waiting (pending) or held (running), and jobs blocked by a stopped engine. */
  activity?: { pending: number; running: number; blocked: number };
}

type Next =
  | BatchStatus
  /** the status stays */
  | 'same'
  /** running when the effect queued something, else the status stays */
  | 'running-if-queued'
  /** nothing pending or running: done, or paused when blocked jobs wait; else running */
  | 'settled'
  /** paused only by the stop: nothing else waits, so running (and then settled as done) */
  | 'running-if-only-stopped';

type Rule = { run: true; to: Next } | { run: false; refuse?: (batchId: number) => string };

const apply = (to: Next): Rule => ({ run: true, to });
const ignore: Rule = { run: false };
const refuse = (message: (batchId: number) => string): Rule => ({ run: false, refuse: message });

const stillRunning = refuse((id) => `Batch ${id} is still running: wait for it to finish (or pause it) before running it again.`);
const cancelledResume = refuse((id) => `Batch ${id} was cancelled; retry its failed pages or start a new batch.`);
const cancelledAdd = refuse((id) => `Batch ${id} was cancelled: files cannot join it.`);

export const LIFECYCLE: Readonly<Record<BatchStatus, Readonly<Record<BatchAction, Rule>>>> = {
  queued: {
    pause: apply('paused'),
    resume: apply('running'),
    cancel: apply('cancelled'),
    finishWithoutStopped: apply('same'),
    rerun: stillRunning,
    retryFailed: apply('running-if-queued'),
    addItems: apply('same'),
    settle: ignore,
  },
  running: {
    pause: apply('paused'),
    resume: ignore,
    cancel: apply('cancelled'),
    finishWithoutStopped: apply('same'),
    rerun: stillRunning,
    retryFailed: apply('running-if-queued'),
    addItems: apply('same'),
    settle: apply('settled'),
  },
  paused: {
    pause: ignore,
    resume: apply('running'),
    cancel: apply('cancelled'),
    finishWithoutStopped: apply('running-if-only-stopped'),
    rerun: apply('running-if-queued'),
    retryFailed: apply('running-if-queued'),
    addItems: apply('same'),
    settle: ignore,
  },
  done: {
    pause: ignore,
    resume: ignore,
    cancel: ignore,
    finishWithoutStopped: ignore,
    rerun: apply('running-if-queued'),
    retryFailed: apply('running-if-queued'),
    addItems: apply('running-if-queued'),
    settle: ignore,
  },
  cancelled: {
    pause: ignore,
    resume: cancelledResume,
    cancel: ignore,
    finishWithoutStopped: ignore,
    rerun: apply('running-if-queued'),
    retryFailed: apply('running-if-queued'),
    addItems: cancelledAdd,
    settle: ignore,
  },
};

/**
 * The rule for `action` on a batch in `status`: whether to run the action's effect (a refused
 * action throws INVALID_INPUT with the reason; an ignored one changes nothing).
 */
export function ruleFor(batchId: number, status: BatchStatus, action: BatchAction): { run: boolean } {
  const rule = LIFECYCLE[status][action];
  if (!rule.run && rule.refuse) throw new ScanError('INVALID_INPUT', rule.refuse(batchId));
  return { run: rule.run };
}

/** The batch's status after `action`'s effect (call only when ruleFor said run). */
export function nextStatus(status: BatchStatus, action: BatchAction, effect: Effect): BatchStatus {
  const rule = LIFECYCLE[status][action];
  if (!rule.run) return status;
  const a = effect.activity;
  switch (rule.to) {
    case 'same':
      return status;
    case 'running-if-queued':
      return effect.count > 0 ? 'running' : status;
    case 'settled':
      if (!a) return status;
      return a.pending > 0 || a.running > 0 ? status : a.blocked > 0 ? 'paused' : 'done';
    case 'running-if-only-stopped':
      return effect.count > 0 && a && a.pending === 0 && a.running === 0 ? 'running' : status;
    default:
      return rule.to;
  }
}
