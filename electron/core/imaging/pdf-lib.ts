import { createRequire } from 'node:module';
import type * as PdfLib from 'pdf-lib';

/**
 * pdf-lib as the decode worker loads it: the package's one-file build (dist/pdf-lib.min.js, the
 * same version). `import 'pdf-lib'` loads its CommonJS build, some 200 files: 150-185 CPU-ms
 * against 63-73 CPU-ms for the one file (plain node, five runs each, load 30), spent by every
 * decode worker before the first page of its first PDF (issue 10: time to the first result).
 * Only what pdf-image.ts and pdf-lazy.ts use; documents and tests keep `import 'pdf-lib'` (their
 * objects never meet these).
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);
const lib = nodeRequire('pdf-lib/dist/pdf-lib.min.js') as typeof PdfLib;

export const { PDFArray, PDFBool, PDFContext, PDFDict, PDFDocument, PDFName, PDFNumber, PDFObjectParser, PDFPageLeaf, PDFRawStream, PDFRef, decodePDFRawStream } = lib;
export type PDFArray = PdfLib.PDFArray;
export type PDFBool = PdfLib.PDFBool;
export type PDFContext = PdfLib.PDFContext;
export type PDFDict = PdfLib.PDFDict;
export type PDFDocument = PdfLib.PDFDocument;
export type PDFName = PdfLib.PDFName;
export type PDFNumber = PdfLib.PDFNumber;
export type PDFObject = PdfLib.PDFObject;
export type PDFPageLeaf = PdfLib.PDFPageLeaf;
export type PDFRawStream = PdfLib.PDFRawStream;
export type PDFRef = PdfLib.PDFRef;
