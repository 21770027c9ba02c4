import { RE2JS } from 're2js';
import { RULE_LIMITS } from './types';

/**
 * Review-rule patterns run on RE2 (re2js): matching is linear in the value's length whatever the
 * pattern, so a pattern typed by a user (or read from a rules file) cannot stall a batch with
 * catastrophic backtracking. RE2 has no look-around and no back-references; such a pattern is
 * refused with RE2's reason. Patterns are searched (not anchored): write ^...$ for a whole value.
 */
export interface CompiledPattern {
  source: string;
  test(value: string): boolean;
}

const cache = new Map<string, CompiledPattern>();

/** The reason a pattern cannot be used, or null when it compiles. */
export function patternProblem(source: string): string | null {
  if (source.length === 0) return 'the pattern is empty';
  if (source.length > RULE_LIMITS.patternChars) return `the pattern is longer than ${RULE_LIMITS.patternChars} characters`;
  try {
    RE2JS.compile(source);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A compiled pattern (cached); throws a plain Error with the reason when it cannot be used. */
export function compilePattern(source: string): CompiledPattern {
  const hit = cache.get(source);
  if (hit) return hit;
  const problem = patternProblem(source);
  if (problem !== null) throw new Error(`Pattern "${source}": ${problem}.`);
  const re = RE2JS.compile(source);
  const compiled: CompiledPattern = { source, test: (value) => re.matcher(value.slice(0, RULE_LIMITS.valueChars)).find() };
  if (cache.size > 200) cache.clear();
  cache.set(source, compiled);
  return compiled;
}
