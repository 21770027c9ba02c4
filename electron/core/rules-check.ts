import { BatchRulesSchema } from '../../shared/contract/rules';
import type { BatchRules } from '../../shared/rules/types';
import { ScanError } from './errors';

/**
 * A batch's review rules checked by the contract's own schema (the CLI and other in-process
 * callers skip the IPC validation): INVALID_INPUT naming the field and why, e.g. a pattern RE2
 * cannot compile.
 */
export function checkRules(rules: BatchRules): BatchRules {
  const r = BatchRulesSchema.safeParse(rules);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ScanError('INVALID_INPUT', `Review rules: ${where}${issue.message}.`);
}
