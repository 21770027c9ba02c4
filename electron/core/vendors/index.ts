import type { VendorId } from '../../../shared/engines';
import type { VendorDefinition } from './definition';
import { alioss } from './alioss/definition';
import { tencent } from './tencent/definition';
import { wechat } from './wechat/definition';

/**
 * Every cloud vendor ScanDesk can use, by id (the order of the settings screen). Each entry is
 * its folder's definition; nothing else in the product lists vendors.
 */
export const VENDORS = { tencent, wechat, alioss } satisfies Record<VendorId, { readonly id: VendorId; readonly name: string }>;

export type Vendors = typeof VENDORS;
/** The settings type of one vendor, from its definition. */
export type SettingsOf<V extends VendorId> = Vendors[V] extends VendorDefinition<infer S> ? S : never;

export function vendorDefinition(id: VendorId): VendorDefinition {
  return VENDORS[id] as unknown as VendorDefinition;
}

/** The definitions in the settings screen's order. */
export const VENDOR_LIST: readonly VendorDefinition[] = Object.values(VENDORS) as unknown as VendorDefinition[];

export { describeVendor, identifyingField, type VendorDefinition } from './definition';
