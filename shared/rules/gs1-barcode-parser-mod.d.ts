// Types for the part of gs1-barcode-parser-mod (CommonJS, untyped) that shared/rules/gs1-elements.ts uses.
declare module 'gs1-barcode-parser-mod' {
  export interface ParsedElement {
    ai: string;
    dataTitle: string;
    data: unknown;
    /** The element's data as written in the barcode. */
    raw: string;
  }
  /** Throws a string (a reason or a numeric code) when the value is no valid GS1 element string. */
  export function parseBarcode(barcode: string): { codeName: string; parsedCodeItems: ParsedElement[] };
}
