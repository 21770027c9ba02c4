import { z } from 'zod';

/** What WeChat sends back (seeds 001, 002; VENDORS.md for the token), checked on arrival. */
const point = z.object({ x: z.number(), y: z.number() });
export const wxPos = z.object({ left_top: point, right_top: point, right_bottom: point, left_bottom: point });
const imgSize = z.object({ w: z.number(), h: z.number() });

export const wxBase = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() });

export const wxToken = wxBase.extend({ access_token: z.string().min(1), expires_in: z.number().positive() });

export const wxQrcode = wxBase.extend({
  code_results: z.array(z.object({ type_name: z.string(), data: z.string(), pos: wxPos.optional().nullable() })).default([]),
  img_size: imgSize.optional(),
});

export const wxOcr = wxBase.extend({
  items: z.array(z.object({ text: z.string(), pos: wxPos.optional().nullable() })).default([]),
  img_size: imgSize.optional(),
});

export type WxPos = z.infer<typeof wxPos>;
export type WxQrcodeResponse = z.infer<typeof wxQrcode>;
export type WxOcrResponse = z.infer<typeof wxOcr>;
