import type { Task } from '../../../shared/engines';

/**
 * Daily call quotas worth warning about before a batch starts. WeChat's printedTextOCR (seed
 * 002) gives a basic account 100 calls a day; the count resets at midnight China Standard Time.
 */
export interface DailyQuota {
  vendor: string;
  task: Task;
  operation: string;
  perDay: number;
}

export const DAILY_QUOTAS: readonly DailyQuota[] = [{ vendor: 'wechat', task: 'text', operation: 'printedTextOCR', perDay: 100 }];
