/**
 * Contract shapes for vendor usage (Settings → Usage, a batch's spend) and the estimate a
 * batch shows before it starts. No place for a secret: accounts are masked labels.
 *
 * shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';
import type { BatchEstimate, BatchUsage, UsageSummary } from '../usage';

const Count = z.int().min(0);

const OperationUsageSchema = z.object({ operation: z.string(), calls: Count, billable: Count, errors: Count, bytesSent: Count });

export const UsageSummarySchema = z.object({
  day: z.string(),
  month: z.string(),
  vendors: z.array(
    z.object({
      vendor: z.string(),
      accounts: z.array(z.object({ label: z.string(), today: z.array(OperationUsageSchema), month: z.array(OperationUsageSchema) })),
    }),
  ),
}) satisfies z.ZodType<UsageSummary>;

export const BatchUsageSchema = z.object({
  batchId: z.int().positive(),
  operations: z.array(OperationUsageSchema.extend({ vendor: z.string() })),
}) satisfies z.ZodType<BatchUsage>;

export const BatchEstimateSchema = z.object({
  pages: Count,
  unreadable: Count,
  skipped: Count,
  vendors: z.array(z.object({ vendor: z.string(), pages: Count, stored: Count, upTo: z.boolean() })),
  warnings: z.array(
    z.object({ vendor: z.string(), operation: z.string(), needed: Count, left: Count, perDay: Count, resetsAt: z.string() }),
  ),
}) satisfies z.ZodType<BatchEstimate>;
