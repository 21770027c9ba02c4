import type { RequestName } from '../../shared/contract';

/**
 * For every request: one valid input and the kind of each field, from which the fuzz test
 * derives malformed variants (wrong types, bounds, NaN, negatives, huge strings, missing
 * required fields). Kept beside the test so adding a request without fuzz cases fails the
 * "covers every request" check.
 */
export type FieldKind =
  | 'id'
  | 'int0'
  | 'limit'
  | 'string'
  | 'search'
  | 'path'
  | 'paths'
  | 'enum'
  | 'bool'
  | 'plan'
  | 'nullableString'
  | 'credFields'
  | 'secretText'
  | 'vendorPatch'
  | 'networkPatch'
  | 'bulkScope'
  | 'restoreList'
  | 'rule'
  | 'base64'
  | 'values'
  | 'nullablePath'
  | 'box'
  | 'exportTo'
  | 'revealId'
  | 'localFolder'
  | 'reviewRules'
  | 'nullableReviewRules';

export interface FuzzCase {
  valid: Record<string, unknown>;
  fields: Record<string, { kind: FieldKind; required: boolean }>;
}

const req = (kind: FieldKind) => ({ kind, required: true });
const opt = (kind: FieldKind) => ({ kind, required: false });

const plan = { engine: 'local', task: 'codes' };
const reviewRules = { symbologies: ['EAN-13'], patterns: { 'EAN-13': '^978' }, gs1: true, codesPerPage: { min: 1, max: 1 }, autoAccept: true };

export const FUZZ_CASES: Record<RequestName, FuzzCase> = {
  'app.info': { valid: {}, fields: {} },
  'settings.get': { valid: {}, fields: {} },
  'settings.set': { valid: { language: 'en', theme: 'dark' }, fields: { language: opt('enum'), theme: opt('enum') } },
  'batches.list': { valid: {}, fields: {} },
  'batches.get': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.create': {
    valid: { paths: ['/tmp/a.png'], name: 'Invoices', plan, rules: reviewRules },
    fields: { paths: req('paths'), name: opt('string'), plan: req('plan'), rules: opt('reviewRules') },
  },
  'batches.pause': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.resume': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.cancel': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.finishWithoutStopped': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.retryFailed': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'batches.delete': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'items.list': {
    valid: { batchId: 1, filter: 'all', search: 'abc', offset: 0, limit: 50 },
    fields: { batchId: req('id'), filter: opt('enum'), search: opt('search'), offset: opt('int0'), limit: opt('limit') },
  },
  'items.get': { valid: { itemId: 1 }, fields: { itemId: req('id') } },
  'detections.review': {
    valid: { detectionId: 1, review: 'accepted', correctedText: 'X-1' },
    fields: { detectionId: req('id'), review: opt('enum'), correctedText: opt('nullableString') },
  },
  'export.defaults': { valid: {}, fields: {} },
  'export.run': {
    valid: { batchId: 1, format: 'csv', acceptedOnly: true, to: { kind: 'folder', folder: '/tmp' }, revealPersonalData: true },
    fields: { batchId: req('id'), format: req('enum'), acceptedOnly: opt('bool'), to: req('exportTo'), revealPersonalData: opt('bool') },
  },
  'export.withDialog': {
    valid: { batchId: 1, format: 'xlsx', acceptedOnly: false, revealPersonalData: false },
    fields: { batchId: req('id'), format: req('enum'), acceptedOnly: opt('bool'), revealPersonalData: opt('bool') },
  },
  'export.reveal': { valid: { revealId: 'AbCdEf012345' }, fields: { revealId: req('revealId') } },
  'dialogs.openFiles': { valid: {}, fields: {} },
  'dialogs.openFolder': { valid: {}, fields: {} },
  'dialogs.saveExport': { valid: { batchId: 1, format: 'json' }, fields: { batchId: req('id'), format: req('enum') } },
  'batches.rerun': { valid: { batchId: 1, plan: { engine: 'wechat', task: 'codes' } }, fields: { batchId: req('id'), plan: req('plan') } },
  'captures.save': {
    // A 1×1 PNG.
    valid: { session: 'fuzzsession01', bytesBase64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg==' },
    fields: { session: req('string'), bytesBase64: req('base64') },
  },
  'camera.readFrame': {
    valid: { width: 16, height: 16, grayBase64: Buffer.alloc(256, 255).toString('base64') },
    fields: { width: req('limit'), height: req('limit'), grayBase64: req('base64') },
  },
  'paths.check': { valid: { paths: ['/tmp/a.png'] }, fields: { paths: req('paths') } },
  'paths.complete': { valid: { text: '/tmp/sc' }, fields: { text: req('string') } },
  'batches.ignored': {
    valid: { batchId: 1, offset: 0, limit: 50 },
    fields: { batchId: req('id'), offset: opt('int0'), limit: opt('limit') },
  },
  'detections.bulkReview': {
    valid: { batchId: 1, review: 'accepted', scope: { symbology: 'EAN-13' } },
    fields: { batchId: req('id'), review: req('enum'), scope: req('bulkScope') },
  },
  'detections.restore': {
    valid: { detections: [{ id: 1, review: 'pending', correctedText: null }] },
    fields: { detections: req('restoreList') },
  },
  'detections.symbologies': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'detections.addManual': {
    valid: { itemId: 1, box: { left: 10, top: 20, width: 100, height: 40 }, symbology: 'EAN-13', text: '4006381333931' },
    fields: { itemId: req('id'), box: req('box'), symbology: req('enum'), text: req('string') },
  },
  'detections.removeManual': { valid: { detectionId: 1 }, fields: { detectionId: req('id') } },
  'items.setNoCode': { valid: { itemId: 1, checked: true }, fields: { itemId: req('id'), checked: req('bool') } },
  'items.reveal': { valid: { itemId: 1 }, fields: { itemId: req('id') } },
  'detections.list': {
    valid: { batchId: 1, symbology: 'EAN-13', engine: 'manual', review: 'pending', ruleBreaks: true, offset: 0, limit: 200 },
    fields: { batchId: req('id'), symbology: opt('string'), engine: opt('enum'), review: opt('enum'), ruleBreaks: opt('bool'), offset: opt('int0'), limit: opt('limit') },
  },
  'detections.facets': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'items.position': { valid: { batchId: 1, itemId: 1 }, fields: { batchId: req('id'), itemId: req('id') } },
  'detections.readRegion': { valid: { itemId: 1, box: { left: 10, top: 20, width: 100, height: 40 } }, fields: { itemId: req('id'), box: req('box') } },
  'vendors.describe': { valid: {}, fields: {} },
  'credentials.status': { valid: {}, fields: {} },
  'credentials.set': {
    valid: { vendor: 'tencent', fields: { secretId: 'AKIDfuzzfuzzfuzz', secretKey: 'fuzzSecretKey' } },
    fields: { vendor: req('enum'), fields: req('credFields') },
  },
  'credentials.delete': { valid: { vendor: 'wechat' }, fields: { vendor: req('enum') } },
  'credentials.setProxy': { valid: { username: 'scan.desk', password: ' pass word ' }, fields: { username: req('secretText'), password: req('secretText') } },
  'credentials.deleteProxy': { valid: {}, fields: {} },
  'credentials.test': { valid: { vendor: 'alioss' }, fields: { vendor: req('enum') } },
  'vendorSettings.get': { valid: {}, fields: {} },
  'vendorSettings.set': {
    valid: {
      network: { proxy: 'http://proxy.example.com:3128' },
      tencent: { region: 'ap-beijing', endpoint: null, rateLimits: { QrcodeOCR: 5 } },
      wechat: { concurrency: 2 },
      alioss: { bucket: 'my-bucket', region: 'cn-hangzhou', keepUploads: false },
    },
    fields: { network: opt('networkPatch'), tencent: opt('vendorPatch'), wechat: opt('vendorPatch'), alioss: opt('vendorPatch') },
  },
  'engines.list': { valid: {}, fields: {} },
  'batches.estimate': { valid: { paths: ['/tmp/a.png'], plan }, fields: { paths: req('paths'), plan: req('plan') } },
  'usage.summary': { valid: {}, fields: {} },
  'usage.batch': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'documents.getRule': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'documents.setRule': {
    valid: { batchId: 1, rule: { kind: 'code', pattern: '^DOC-', dropSeparators: true, template: '{code}.pdf' } },
    fields: { batchId: req('id'), rule: req('rule') },
  },
  'documents.list': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'documents.writePdfs': { valid: { batchId: 1, dir: '/tmp/docs' }, fields: { batchId: req('id'), dir: req('localFolder') } },
  'expected.import': {
    valid: { batchId: 1, fileName: 'list.csv', bytesBase64: 'Y29kZQoxMjM=', column: 'code' },
    fields: { batchId: req('id'), fileName: req('string'), bytesBase64: req('base64'), column: opt('string') },
  },
  'expected.set': { valid: { batchId: 1, values: ['A-1', 'A-2'] }, fields: { batchId: req('id'), values: req('values') } },
  'reconciliation.get': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'hotFolders.list': { valid: {}, fields: {} },
  'hotFolders.save': {
    valid: { path: '/tmp/inbox', doneDir: '/tmp/done', failedDir: null },
    fields: { path: req('path'), doneDir: opt('nullablePath'), failedDir: opt('nullablePath') },
  },
  'hotFolders.setEnabled': { valid: { id: 1, enabled: false }, fields: { id: req('id'), enabled: req('bool') } },
  'hotFolders.remove': { valid: { id: 1 }, fields: { id: req('id') } },
  'sharedQueue.status': { valid: {}, fields: {} },
  'sharedQueue.test': { valid: { url: 'postgres://scandesk@db/scandesk', password: 'pw', blobs: '/mnt/blobs' }, fields: { url: req('string'), password: opt('secretText'), blobs: opt('nullablePath') } },
  'sharedQueue.save': { valid: { url: 'postgres://scandesk@db/scandesk', blobs: null }, fields: { url: req('string'), password: opt('secretText'), blobs: opt('nullablePath') } },
  'sharedQueue.forget': { valid: {}, fields: {} },
  'sharedQueue.show': { valid: { source: 'local' }, fields: { source: req('enum') } },
  'dialogs.chooseFolder': { valid: { purpose: 'documents', title: 'PDFs' }, fields: { purpose: req('enum'), title: opt('nullableString') } },
  'rules.get': { valid: { batchId: 1 }, fields: { batchId: req('id') } },
  'rules.set': { valid: { batchId: 1, rules: reviewRules }, fields: { batchId: req('id'), rules: req('nullableReviewRules') } },
};

const HUGE = 'x'.repeat(100_000);

/** Values that are wrong for a field of this kind, with a label for the test name. */
export function badValues(kind: FieldKind): Array<[string, unknown]> {
  const notObject: Array<[string, unknown]> = [
    ['object', { a: 1 }],
    ['array', [1]],
  ];
  switch (kind) {
    case 'id':
      return [
        ['string id', '1'],
        ['negative', -1],
        ['zero', 0],
        ['fraction', 1.5],
        ['NaN', NaN],
        ['Infinity', Infinity],
        ['unsafe integer', 2 ** 60],
        ['null', null],
        ...notObject,
      ];
    case 'int0':
      return [['negative', -1], ['fraction', 0.5], ['NaN', NaN], ['string', '0'], ['null', null]];
    case 'limit':
      return [['zero', 0], ['too large', 100_000], ['NaN', NaN], ['string', '10'], ['fraction', 2.5]];
    case 'string':
      return [['number', 42], ['huge', HUGE], ['null', null], ['NUL byte', 'a\0b'], ['empty', ''], ...notObject];
    case 'nullableString':
      return [['number', 42], ['huge', HUGE], ['NUL byte', 'a\0b'], ...notObject];
    case 'search':
      return [['number', 42], ['over 200 chars', 'y'.repeat(201)], ['NUL byte', 'a\0b'], ['null', null], ...notObject];
    case 'path':
      return [['relative', 'out.csv'], ['huge', `/${HUGE}`], ['NUL byte', '/tmp/a\0b'], ['number', 7], ['empty', ''], ...notObject];
    case 'paths':
      return [
        ['string instead of array', '/tmp/a.png'],
        ['empty array', []],
        ['number element', [42]],
        ['relative element', ['a.png']],
        ['huge element', [`/${HUGE}`]],
        ['NUL element', ['/tmp/a\0.png']],
        ['10,001 paths', Array.from({ length: 10_001 }, (_, i) => `/tmp/${i}.png`)],
        ['null', null],
        ['object', { 0: '/tmp/a.png' }],
      ];
    case 'enum':
      return [['unknown value', 'bogus'], ['number', 1], ['null', null], ['huge', HUGE], ...notObject];
    case 'bool':
      return [['string', 'true'], ['number', 1], ['null', null], ...notObject];
    case 'credFields':
      // Every message is checked to name the field; none may quote a value (see vendors.test.ts).
      return [
        ['string', 'AKIDx:secret'],
        ['null', null],
        ['array', ['a', 'b']],
        ['unknown field', { secretId: 'AKIDfuzzfuzzfuzz', secretKey: 'k', password: 'p' }],
        ['another vendor\'s fields', { appId: 'wx1', appSecret: 's' }],
        ['missing secret', { secretId: 'AKIDfuzzfuzzfuzz' }],
        ['empty secret', { secretId: 'AKIDfuzzfuzzfuzz', secretKey: '   ' }],
        ['huge secret', { secretId: 'AKIDfuzzfuzzfuzz', secretKey: HUGE }],
        ['newline in secret', { secretId: 'AKIDfuzzfuzzfuzz', secretKey: 'a\nb' }],
        ['number secret', { secretId: 'AKIDfuzzfuzzfuzz', secretKey: 12345 }],
      ];
    case 'secretText':
      return [['number', 42], ['null', null], ['empty', ''], ['huge', HUGE], ['line break', 'a\r\nProxy-Authorization: x'], ['object', { a: 1 }]];
    case 'bulkScope':
      return [
        ['string', 'page'],
        ['empty object', {}],
        ['two scopes', { itemId: 1, symbology: 'QRCode' }],
        ['bad item id', { itemId: -1 }],
        ['unknown filter', { filter: 'everything' }],
        ['empty symbology', { symbology: '' }],
        ['null', null],
      ];
    case 'restoreList':
      return [
        ['empty array', []],
        ['bad review', [{ id: 1, review: 'maybe', correctedText: null }]],
        ['missing id', [{ review: 'pending', correctedText: null }]],
        ['extra field', [{ id: 1, review: 'pending', correctedText: null, itemId: 3 }]],
        ['huge value', [{ id: 1, review: 'pending', correctedText: HUGE }]],
        ['not an array', { id: 1 }],
      ];
    case 'vendorPatch':
      return [
        ['string', 'ap-beijing'],
        ['number', 3],
        ['array', [1]],
        ['a credential field', { secretKey: 'x' }],
        ['unknown field', { colour: 'red' }],
        ['NaN', { concurrency: NaN, timeoutMs: NaN, region: 'x', bucket: 'x' }],
        ['string number', { concurrency: '4', timeoutMs: '4' }],
        ['huge endpoint', { endpoint: HUGE, baseUrl: HUGE }],
        ['nested unknown', { rateLimits: { Everything: 1 } }],
      ];
    case 'networkPatch':
      return [
        ['string', 'system'],
        ['unknown field', { colour: 'red' }],
        ['proxy as a number', { proxy: 3128 }],
        ['huge proxy', { proxy: HUGE }],
        ['a proxy with a password (belongs in HTTPS_PROXY)', { proxy: 'http://user:pass@proxy.example.com:3128' }],
        ['not a proxy', { proxy: 'ftp://proxy.example.com' }],
      ];
    case 'reviewRules':
    case 'nullableReviewRules': {
      const bad: Array<[string, unknown]> = [
        ['string', 'EAN-13'],
        ['array', [reviewRules]],
        ['missing field', { ...reviewRules, gs1: undefined }],
        ['unknown field', { ...reviewRules, colour: 'red' }],
        ['unknown symbology', { ...reviewRules, symbologies: ['Barcode9000'] }],
        ['pattern for an unknown symbology', { ...reviewRules, patterns: { Barcode9000: 'x' } }],
        ['look-ahead (RE2 has none)', { ...reviewRules, patterns: { '*': '^(?=A)' } }],
        ['back-reference', { ...reviewRules, patterns: { '*': '(a)\\1' } }],
        ['huge pattern', { ...reviewRules, patterns: { '*': `^${HUGE}` } }],
        ['empty pattern', { ...reviewRules, patterns: { '*': '' } }],
        ['huge repeat count', { ...reviewRules, patterns: { '*': '((a{100}){100}){100}' } }],
        ['min over max', { ...reviewRules, codesPerPage: { min: 3, max: 1 } }],
        ['negative count', { ...reviewRules, codesPerPage: { min: -1, max: null } }],
        ['fractional count', { ...reviewRules, codesPerPage: { min: 1.5, max: null } }],
        ['NaN count', { ...reviewRules, codesPerPage: { min: NaN, max: null } }],
        ['string gs1', { ...reviewRules, gs1: 'yes' }],
        ['41 symbologies', { ...reviewRules, symbologies: Array.from({ length: 41 }, () => 'QRCode') }],
      ];
      return kind === 'reviewRules' ? [['null', null], ...bad] : bad;
    }
    case 'plan':
      return [
        ['string', 'local'],
        ['unknown engine', { engine: 'nope', task: 'codes' }],
        ['unknown task', { engine: 'local', task: 'nope' }],
        ['missing task', { engine: 'local' }],
        ['extra field', { engine: 'local', task: 'codes', secretKey: 'x' }],
        ['nested object option', { engine: 'local', task: 'codes', options: { deep: { a: 1 } } }],
        ['huge option', { engine: 'local', task: 'codes', options: { Config: HUGE } }],
        ['too many options', { engine: 'local', task: 'codes', options: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) }],
        ['null', null],
      ];
    case 'rule':
      return [
        ['string', '^DOC-'],
        ['unknown kind', { kind: 'blank-page' }],
        ['code without pattern', { kind: 'code', dropSeparators: false }],
        ['empty pattern', { kind: 'code', pattern: '', dropSeparators: false }],
        ['huge pattern', { kind: 'code', pattern: HUGE, dropSeparators: false }],
        ['zero pages', { kind: 'every', pages: 0 }],
        ['NaN pages', { kind: 'every', pages: NaN }],
        ['extra field', { kind: 'every', pages: 2, script: 'x' }],
        ['NUL in template', { kind: 'every', pages: 2, template: 'a\0b' }],
      ];
    case 'base64':
      return [['number', 1], ['empty', ''], ['null', null], ['over 20 MB', 'A'.repeat(28 * 1024 * 1024)], ...notObject];
    case 'values':
      return [['string', 'A-1'], ['number element', [42]], ['NUL element', ['a\0b']], ['huge element', [HUGE]], ['object', { 0: 'A' }]];
    case 'box':
      return [
        ['string', '10,20,100,40'],
        ['negative left', { left: -1, top: 0, width: 10, height: 10 }],
        ['zero width', { left: 0, top: 0, width: 0, height: 10 }],
        ['NaN height', { left: 0, top: 0, width: 10, height: NaN }],
        ['huge', { left: 0, top: 0, width: 1e12, height: 10 }],
        ['missing top', { left: 0, width: 10, height: 10 }],
        ['extra field', { left: 0, top: 0, width: 10, height: 10, angle: 3 }],
        ['null', null],
      ];
    case 'nullablePath':
      return [['relative', 'done'], ['NUL byte', '/tmp/a\0b'], ['number', 7], ['empty', ''], ...notObject];
    case 'exportTo':
      return [
        ['a bare path', '/tmp/out.csv'],
        ['the old path field', { path: '/tmp/out.csv' }],
        ['unknown kind', { kind: 'file', path: '/tmp/out.csv' }],
        ['relative folder', { kind: 'folder', folder: 'exports' }],
        ['UNC folder', { kind: 'folder', folder: '\\\\attacker\\share' }],
        ['forward-slash UNC folder', { kind: 'folder', folder: '//attacker/share' }],
        ['NUL in folder', { kind: 'folder', folder: '/tmp/a\0b' }],
        ['a file name beside the folder', { kind: 'folder', folder: '/tmp', name: 'evil.bat' }],
        ['a handle that is a path', { kind: 'dialog', handle: '/etc/passwd' }],
        ['no handle', { kind: 'dialog' }],
        ['a path with the download', { kind: 'download', path: '/tmp/x.csv' }],
        ['null', null],
      ];
    case 'localFolder':
      return [
        ['relative', 'docs'],
        ['UNC', '\\\\attacker\\share'],
        ['forward-slash UNC', '//attacker/share'],
        ['device path', '\\\\?\\C:\\x'],
        ['NUL byte', '/tmp/a\0b'],
        ['number', 7],
        ['empty', ''],
        ...notObject,
      ];
    case 'revealId':
      return [['a path', '/tmp/out.csv'], ['empty', ''], ['number', 5], ['huge', HUGE], ['null', null], ...notObject];
  }
}
