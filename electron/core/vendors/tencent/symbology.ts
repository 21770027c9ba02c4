/** Tencent QrcodeOCR TypeName -> the product's symbology names (ZXing-C++'s, shared/detection.ts). */
const BY_KEY: Record<string, string> = {
  QRCODE: 'QRCode',
  EAN13: 'EAN-13',
  EAN8: 'EAN-8',
  UPCA: 'UPC-A',
  UPCE: 'UPC-E',
  CODE39: 'Code39',
  CODE93: 'Code93',
  CODE128: 'Code128',
  PDF417: 'PDF417',
  DATAMATRIX: 'DataMatrix',
  ITF: 'ITF',
  CODABAR: 'Codabar',
  AZTEC: 'Aztec',
};

/** Spelling varies between Tencent pages ('CODE-128', 'CODE_128', 'PDF_417'): compare letters and digits. */
export function symbologyFromTypeName(typeName: string): string | null {
  return BY_KEY[typeName.toUpperCase().replace(/[^A-Z0-9]/g, '')] ?? null;
}

/** Symbologies whose content is a GTIN that QueryBarCode can look up. */
export const GTIN_SYMBOLOGIES = new Set(['EAN-13', 'EAN-8', 'UPC-A', 'UPC-E']);
