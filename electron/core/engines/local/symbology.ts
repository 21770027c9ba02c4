/**
 * Product symbology names (shared SYMBOLOGIES, ZXing-C++'s established names) for what each
 * decoder reports. zxing-wasm 3 reports finer variants ('EAN13', 'DataBarExpStk', 'Code39Ext',
 * 'ISBN'...): they fold into their family here, and the exact variant is kept in `extra.format`.
 */
const ZXING_FORMAT_TO_SYMBOLOGY: Record<string, string> = {
  Aztec: 'Aztec',
  AztecCode: 'Aztec',
  AztecRune: 'Aztec',
  Codabar: 'Codabar',
  Code39: 'Code39',
  Code39Std: 'Code39',
  Code39Ext: 'Code39',
  Code32: 'Code39',
  PZN: 'Code39',
  Code93: 'Code93',
  Code128: 'Code128',
  DataBar: 'DataBar',
  DataBarOmni: 'DataBar',
  DataBarStk: 'DataBar',
  DataBarStkOmni: 'DataBar',
  DataBarLtd: 'DataBarLimited',
  DataBarExp: 'DataBarExpanded',
  DataBarExpStk: 'DataBarExpanded',
  DataMatrix: 'DataMatrix',
  DXFilmEdge: 'DXFilmEdge',
  EAN8: 'EAN-8',
  EAN13: 'EAN-13',
  ISBN: 'EAN-13',
  EAN2: 'EAN-2',
  EAN5: 'EAN-5',
  ITF: 'ITF',
  ITF14: 'ITF',
  MaxiCode: 'MaxiCode',
  MicroPDF417: 'MicroPDF417',
  PDF417: 'PDF417',
  CompactPDF417: 'PDF417',
  MicroQRCode: 'MicroQRCode',
  QRCode: 'QRCode',
  QRCodeModel1: 'QRCode',
  QRCodeModel2: 'QRCode',
  RMQRCode: 'rMQRCode',
  Telepen: 'Telepen',
  TelepenAlpha: 'Telepen',
  TelepenNumeric: 'Telepen',
  UPCA: 'UPC-A',
  UPCE: 'UPC-E',
};

export function symbologyFromZXing(format: string): string {
  return ZXING_FORMAT_TO_SYMBOLOGY[format] ?? format;
}

/** ZBar's symbol type names (zbar_get_symbol_name) for the types we let ZBar report. */
const ZBAR_TYPE_TO_SYMBOLOGY: Record<string, string> = {
  'EAN-13': 'EAN-13',
  'EAN-8': 'EAN-8',
  'UPC-A': 'UPC-A',
  'UPC-E': 'UPC-E',
  'ISBN-13': 'EAN-13',
  'ISBN-10': 'EAN-13',
  ZBAR_EAN13: 'EAN-13',
  ZBAR_EAN8: 'EAN-8',
  ZBAR_UPCA: 'UPC-A',
  ZBAR_UPCE: 'UPC-E',
  ZBAR_ISBN13: 'EAN-13',
};

export function symbologyFromZBar(typeName: string): string | null {
  return ZBAR_TYPE_TO_SYMBOLOGY[typeName] ?? null;
}
