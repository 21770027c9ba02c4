/**
 * Where the renderer's main thread spends a scroll, from a Chromium trace: the self time of each
 * kind of event (V8 script, style, layout, paint, hit testing, garbage collection, ...) on the
 * thread `CrRendererMain`, in thread CPU time where the trace has it (`tdur`), so that other
 * processes on the machine do not count as the page's cost. Used by bench/ui.ts
 * (SCANDESK_UI_TRACE=<dir>) to compare a scroll over 100 pages with one over 10,000.
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  tts?: number;
  cat?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

/** Trace categories that name what the main thread does, without the cost of sampling every call. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink',
  'cc',
  'v8',
  'blink.user_timing',
  'loading',
  'toplevel',
];

export interface ThreadProfile {
  /** Milliseconds of self time per event name, largest first. */
  self: Array<{ name: string; ms: number; count: number }>;
  /** Sum of the top-level tasks (what the thread was busy with), in milliseconds. */
  busyMs: number;
  /** Frames the compositor produced for the page (DrawFrame), if the trace has them. */
  frames: number;
  /** Whether the times are the thread's CPU time (else wall time, which includes waiting). */
  threadTime: boolean;
}

/**
 * Self time per event name on the renderer main thread. Complete events (`X`) and begin/end
 * pairs (`B`/`E`) nest by time; an event's self time is its duration minus its children's.
 * Uses `tdur`/`tts` (thread time) when the trace has it, else wall time (`threadTime` says which).
 */
export function mainThreadProfile(events: TraceEvent[]): ThreadProfile {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) throw new Error('trace: no CrRendererMain thread');
  const spansOnMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && (e.ph === 'X' || e.ph === 'B' || e.ph === 'E'));
  // Thread time when the trace has it (a few events come without: they are left out, since
  // wall and thread clocks cannot be mixed in one nesting).
  const threadTime = spansOnMain.filter((e) => e.tts !== undefined).length > spansOnMain.length / 2;
  const onMain = threadTime ? spansOnMain.filter((e) => e.tts !== undefined && (e.ph !== 'X' || e.tdur !== undefined)) : spansOnMain;
  // Turn B/E pairs into spans, keep X spans.
  type Span = { name: string; start: number; end: number };
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of onMain.sort((a, b) => a.ts - b.ts)) {
    const start = threadTime ? (e.tts ?? e.ts) : e.ts;
    if (e.ph === 'X') spans.push({ name: e.name, start, end: start + ((threadTime ? e.tdur : e.dur) ?? 0) });
    else if (e.ph === 'B') open.push(e);
    else {
      const b = open.pop();
      if (b) {
        const bs = threadTime ? (b.tts ?? b.ts) : b.ts;
        spans.push({ name: b.name, start: bs, end: start });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const self = new Map<string, { us: number; count: number }>();
  const stack: Array<Span & { child: number }> = [];
  let busy = 0;
  const close = (s: Span & { child: number }) => {
    const acc = self.get(s.name) ?? { us: 0, count: 0 };
    acc.us += Math.max(0, s.end - s.start - s.child);
    acc.count++;
    self.set(s.name, acc);
    const parent = stack[stack.length - 1];
    if (parent) parent.child += s.end - s.start;
    else busy += s.end - s.start;
  };
  for (const s of spans) {
    while (stack.length > 0 && (stack[stack.length - 1] as Span).end <= s.start) close(stack.pop() as Span & { child: number });
    stack.push({ ...s, child: 0 });
  }
  while (stack.length > 0) close(stack.pop() as Span & { child: number });
  const frames = events.filter((e) => e.name === 'DrawFrame' && e.pid === main.pid).length;
  return {
    self: [...self].map(([name, v]) => ({ name, ms: v.us / 1000, count: v.count })).sort((a, b) => b.ms - a.ms),
    busyMs: busy / 1000,
    frames,
    threadTime,
  };
}

/** Side by side, per frame: the event names where the two profiles differ most. */
export function compareProfiles(a: { label: string; profile: ThreadProfile; frames: number }, b: { label: string; profile: ThreadProfile; frames: number }, top = 15): string {
  const per = (p: ThreadProfile, frames: number) => new Map(p.self.map((s) => [s.name, s.ms / Math.max(1, frames)]));
  const pa = per(a.profile, a.frames);
  const pb = per(b.profile, b.frames);
  const names = [...new Set([...pa.keys(), ...pb.keys()])]
    .map((n) => ({ n, a: pa.get(n) ?? 0, b: pb.get(n) ?? 0 }))
    .sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b))
    .slice(0, top);
  const clock = a.profile.threadTime && b.profile.threadTime ? 'CPU' : 'wall';
  const lines = [`${`main-thread self ${clock} time, ms per frame`.padEnd(44)} ${a.label.padStart(12)} ${b.label.padStart(12)}`];
  lines.push(`${'(all tasks)'.padEnd(44)} ${(a.profile.busyMs / Math.max(1, a.frames)).toFixed(3).padStart(12)} ${(b.profile.busyMs / Math.max(1, b.frames)).toFixed(3).padStart(12)}`);
  for (const x of names) lines.push(`${x.n.slice(0, 44).padEnd(44)} ${x.a.toFixed(3).padStart(12)} ${x.b.toFixed(3).padStart(12)}`);
  return lines.join('\n');
}

/** A V8 CPU profile as CDP's Profiler.stop answers it. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per JavaScript function (name, file:line), largest first, from a sampled CPU profile. */
export function profileSelfTimes(profile: CpuProfile, top = 20): Array<{ fn: string; ms: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n) return;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...self]
    .map(([fn, us]) => ({ fn, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}
