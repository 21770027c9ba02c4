/**
 * Vendor notices kept per batch ("Tencent stopped: the key was refused", "product data is
 * offline", "at most 5 codes per page"). The host already sends each one once per batch run;
 * this keeps a repeat (a second window, a re-run saying the same thing) from stacking up.
 */
export interface BatchNotice {
  engine: string;
  message: string;
}

export type BatchNotices = Readonly<Record<number, readonly BatchNotice[]>>;

/** Adds a notice; answers the same object when it was already there (so callers can tell). */
export function addNotice(all: BatchNotices, n: { batchId: number; engine: string; message: string }): BatchNotices {
  const list = all[n.batchId] ?? [];
  if (list.some((x) => x.engine === n.engine && x.message === n.message)) return all;
  return { ...all, [n.batchId]: [...list, { engine: n.engine, message: n.message }].slice(-10) };
}
