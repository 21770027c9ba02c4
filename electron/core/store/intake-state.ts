import type { Db } from './db';
import { stmt } from './statements';

/**
 * Intake still under way for a batch (issue 10: pages stream into the queue as intake reads
 * them). While batches.intake_json is set, more pages may join the batch, so it never settles;
 * the JSON names the paths given and the process adding them (`host:pid`). A process that
 * finds it set by one that is gone takes it over and reads the paths again, adding only the
 * pages and ignored files the batch does not have yet (intake's order is stable), so an app
 * stopped mid-expansion loses nothing and adds nothing twice. SQLite side; store/pg/ has the same.
 */
export interface IntakeState {
  paths: string[];
  owner: string;
}

export interface UnfinishedIntake extends IntakeState {
  batchId: number;
}

/** What a batch holds already, for a taken-over intake to skip. */
export interface IntakeKnown {
  pages: Array<{ path: string; page: number }>;
  ignored: string[];
}

export function setIntake(db: Db, batchId: number, state: IntakeState | null): void {
  stmt(db, `UPDATE batches SET intake_json = ? WHERE id = ?`).run(state ? JSON.stringify(state) : null, batchId);
}

export function intakeOpen(db: Db, batchId: number): boolean {
  return stmt(db, `SELECT 1 FROM batches WHERE id = ? AND intake_json IS NOT NULL`).get(batchId) !== undefined;
}

export function unfinishedIntakes(db: Db): UnfinishedIntake[] {
  const rows = stmt(db, `SELECT id, intake_json FROM batches WHERE intake_json IS NOT NULL ORDER BY id`).all() as Array<{ id: number; intake_json: string }>;
  return rows.map((r) => ({ batchId: r.id, ...(JSON.parse(r.intake_json) as IntakeState) }));
}

/** Moves the intake from `from` to `to`; false when another process took it first (or it finished). */
export function takeIntake(db: Db, batchId: number, from: string, to: string): boolean {
  const row = stmt(db, `SELECT intake_json FROM batches WHERE id = ?`).get(batchId) as { intake_json: string | null } | undefined;
  if (!row?.intake_json) return false;
  const state = JSON.parse(row.intake_json) as IntakeState;
  if (state.owner !== from) return false;
  setIntake(db, batchId, { ...state, owner: to });
  return true;
}

export function intakeKnown(db: Db, batchId: number): IntakeKnown {
  const pages = stmt(db, `SELECT path, page FROM items WHERE batch_id = ? AND status != 'skipped' ORDER BY id`).all(batchId) as IntakeKnown['pages'];
  const ignored = (stmt(db, `SELECT path FROM items WHERE batch_id = ? AND status = 'skipped' ORDER BY id`).all(batchId) as Array<{ path: string }>).map((r) => r.path);
  return { pages, ignored };
}
