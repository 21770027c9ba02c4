import type { CropKind } from '../../../shared/idcard';
import type { ScanService } from '../service-types';

/**
 * Where the media route (scandesk: protocol, host HTTP) reads IDCardOCR's crops: from the store,
 * by detection id, never by path. Personal data: answers say `Cache-Control: no-store`.
 */
export type CropSource = (kind: CropKind, detectionId: number) => Promise<{ format: 'jpeg' | 'png' | 'bmp'; data: Buffer }>;

export const cropSource =
  (service: Pick<ScanService, 'detectionImage'>): CropSource =>
  (kind, detectionId) =>
    service.detectionImage(detectionId, kind);
