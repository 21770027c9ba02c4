/**
 * A canonical text of a plan's engine options (keys sorted at every level), so that the same
 * options written in another order hit the same cached result.
 */
export function optionsKey(options: Record<string, unknown> | undefined): string {
  return JSON.stringify(canonical(options ?? {}));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
