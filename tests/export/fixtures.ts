import type { BatchSummary } from '../../shared/batch';
import type { ExportDetection, ExportItem, ExportSource } from '../../electron/core/export/types';

/**
 * Export sources shaped like the store's: absolute paths, 1-based pages, statuses and errors
 * as the runner records them, detections with the geometry shapes engines produce.
 */
export function detection(partial: Partial<ExportDetection> & { text: string }): ExportDetection {
  return {
    kind: 'code',
    symbology: 'QRCode',
    geometry: {
      kind: 'quad',
      points: [
        { x: 10.25, y: 20 },
        { x: 110, y: 20.04 },
        { x: 110, y: 120 },
        { x: 10, y: 120 },
      ],
    },
    engine: 'local',
    review: 'pending',
    correctedText: null,
    ...partial,
  };
}

export const GS = '\u001d';

export function sampleItems(root: string): ExportItem[] {
  return [
    {
      path: `${root}/发票/扫描 001.jpg`,
      page: 1,
      status: 'done',
      error: null,
      detections: [
        detection({ text: '中文二维码内容：你好世界', review: 'accepted' }),
        detection({ text: '0012345678905', symbology: 'EAN-13', review: 'accepted', geometry: { kind: 'none', points: [] } }),
        detection({ text: 'https://example.com/a?b=1&c=2', review: 'rejected' }),
      ],
    },
    {
      path: `${root}/invoice.tif`,
      page: 2,
      status: 'done',
      error: null,
      detections: [
        detection({ text: '=HYPERLINK("http://evil.example","x")', symbology: 'Code128', review: 'accepted' }),
        detection({ text: '+1+1', symbology: 'Code128' }),
        detection({ text: '-2+3', symbology: 'Code128' }),
        detection({ text: '@SUM(A1)', symbology: 'Code128' }),
        detection({ text: 'wrong value', correctedText: '000777', symbology: 'DataMatrix', review: 'accepted' }),
        detection({ text: `]d2010123456789012${GS}10ABC`, symbology: 'DataMatrix' }),
        detection({
          text: '12',
          symbology: 'Code39',
          geometry: { kind: 'rect', points: [{ x: 1, y: 2 }, { x: 5, y: 2 }, { x: 5, y: 9 }, { x: 1, y: 9 }] },
        }),
      ],
    },
    { path: `${root}/blank.png`, page: 1, status: 'done', error: null, detections: [] },
    {
      path: `${root}/broken.jpg`,
      page: 1,
      status: 'failed',
      error: { code: 'IMAGE_DECODE', message: 'The image is corrupt or truncated: broken.jpg' },
      detections: [],
    },
    {
      path: `${root}/empty.jpg`,
      page: 1,
      status: 'failed',
      error: { code: 'FILE_EMPTY', message: 'The file is empty (0 bytes): empty.jpg' },
      detections: [],
    },
  ];
}

export function batchOf(items: ExportItem[], name = '三月发票 batch'): BatchSummary {
  const failed = items.filter((i) => i.status === 'failed').length;
  return {
    id: 7,
    name,
    createdAt: '2026-03-01T08:00:00.000Z',
    status: 'done',
    plan: { engine: 'local', task: 'codes' },
    counts: {
      total: items.length,
      pending: 0,
      done: items.length - failed,
      failed,
      cancelled: 0,
      skipped: 0,
      codes: items.reduce((n, i) => n + i.detections.length, 0),
    },
    stopped: [],
    engines: ['local'],
  };
}

/** A source that, like the store's, can be iterated only once (a second pass is a bug). */
export function onceSource(items: ExportItem[], batch = batchOf(items)): ExportSource {
  let used = false;
  return {
    batch,
    items() {
      if (used) throw new Error('items() iterated twice');
      used = true;
      return (function* () {
        yield* items;
      })();
    },
  };
}
