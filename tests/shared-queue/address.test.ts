import { describe, expect, it } from 'vitest';
import { connectUrl, parseQueueUrl } from '../../electron/core/shared-queue/address';

describe('a shared queue address', () => {
  it('keeps the password apart from the address shown and saved', () => {
    const { address, password } = parseQueueUrl(' postgres://desk:s%40cret@db.example:6543/mailroom?sslmode=require ');
    expect(password).toBe('s@cret');
    expect(address.url).toBe('postgres://desk@db.example:6543/mailroom?sslmode=require');
    expect(address.url).not.toContain('cret');
    expect(address.endpoint).toBe('desk@db.example:6543/mailroom');
    expect(connectUrl(address, password)).toBe('postgres://desk:s%40cret@db.example:6543/mailroom?sslmode=require');
    expect(parseQueueUrl('postgresql://db/q').address).toEqual({ url: 'postgresql://db/q', endpoint: 'db:5432/q' });
  });

  it('refuses what is not a PostgreSQL address, with the reason', () => {
    expect(() => parseQueueUrl('mysql://db/q')).toThrow(/postgres:\/\//);
    expect(() => parseQueueUrl('postgres://db/')).toThrow(/no database/);
    expect(() => parseQueueUrl('not a url')).toThrow(/must be a URL/);
  });
});
