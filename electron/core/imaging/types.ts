/**
 * What an engine can accept, as that engine counts it. `prepare` fits an image under it.
 * Examples: Tencent QrcodeOCR {maxBytes: 3 MiB, countAs: 'base64', formats: ['jpeg','png']};
 * WeChat {maxBytes: 2 MiB - 1, countAs: 'file', formats: ['jpeg','png']}.
 */
export interface Budget {
  maxBytes: number;
  countAs: 'file' | 'base64';
  formats: Array<'jpeg' | 'png' | 'webp' | 'bmp'>;
  /** Longest side the engine accepts (or handles well), in pixels. */
  maxSide?: number;
  /**
   * Do not shrink below this longest side: under it, codes stop being readable. When the
   * module size is known, callers derive it from "modules stay 3-4 px wide".
   */
  minSide?: number;
}

/** An encoded image ready to send, and how to map positions in it back to the page. */
export interface PreparedImage {
  data: Buffer;
  format: 'jpeg' | 'png' | 'webp' | 'bmp';
  width: number; // of the prepared image
  height: number;
  /** The oriented page (what a person sees), which every stored position refers to. */
  pageWidth: number;
  pageHeight: number;
  /** prepared pixels = page pixels * scale (scale <= 1). Divide to map back. */
  scale: number;
  /** Bytes as the budget counts them (base64 length or file length). */
  countedBytes: number;
  /** sha256 of the source file's bytes this image was made from (the result cache's key). */
  sourceSha256: string;
}

/** Options of `makePreview` (thumbnails and the review view). */
export interface PreviewOptions {
  /** Longest side of the preview, in pixels; smaller pages are not enlarged. */
  maxSide: number;
  format: 'jpeg' | 'webp';
  /** Encoder quality, 1-100 (default 80). */
  quality?: number;
}

/** An encoded, oriented preview of one page. Positions scale by width / pageWidth. */
export interface PreviewImage {
  data: Buffer;
  format: 'jpeg' | 'webp';
  width: number;
  height: number;
  pageWidth: number;
  pageHeight: number;
}
