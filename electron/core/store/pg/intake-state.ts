import type { IntakeKnown, IntakeState, UnfinishedIntake } from '../intake-state';
import { changes, row, rows, type Queryable } from './db';

/** PostgreSQL side of store/intake-state.ts (batches.intake_json, same meaning). */
export async function setIntake(db: Queryable, batchId: number, state: IntakeState | null): Promise<void> {
  await changes(db, `UPDATE batches SET intake_json = $1 WHERE id = $2`, [state ? JSON.stringify(state) : null, batchId]);
}

export async function intakeOpen(db: Queryable, batchId: number): Promise<boolean> {
  return (await row(db, `SELECT 1 FROM batches WHERE id = $1 AND intake_json IS NOT NULL`, [batchId])) !== undefined;
}

export async function unfinishedIntakes(db: Queryable): Promise<UnfinishedIntake[]> {
  const list = await rows<{ id: number; intake_json: string }>(db, `SELECT id, intake_json FROM batches WHERE intake_json IS NOT NULL ORDER BY id`);
  return list.map((r) => ({ batchId: Number(r.id), ...(JSON.parse(r.intake_json) as IntakeState) }));
}

/** Compare-and-set on the owner, in one statement: of two processes taking over, one wins. */
export async function takeIntake(db: Queryable, batchId: number, from: string, to: string): Promise<boolean> {
  const n = await changes(
    db,
    `UPDATE batches SET intake_json = jsonb_set(intake_json::jsonb, '{owner}', to_jsonb($3::text))::text
     WHERE id = $1 AND intake_json IS NOT NULL AND intake_json::jsonb ->> 'owner' = $2`,
    [batchId, from, to],
  );
  return n === 1;
}

export async function intakeKnown(db: Queryable, batchId: number): Promise<IntakeKnown> {
  const pages = await rows<{ path: string; page: number }>(db, `SELECT path, page FROM items WHERE batch_id = $1 AND status != 'skipped' ORDER BY id`, [batchId]);
  const ignored = await rows<{ path: string }>(db, `SELECT path FROM items WHERE batch_id = $1 AND status = 'skipped' ORDER BY id`, [batchId]);
  return { pages: pages.map((p) => ({ path: p.path, page: Number(p.page) })), ignored: ignored.map((r) => r.path) };
}
