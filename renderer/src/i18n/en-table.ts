/** English: the results table (every code of a batch, filtered; issue 9). */
export const enTable = {
  'view.label': 'Show',
  'view.pages': 'Pages',
  'view.codes': 'Codes',
  'table.label': 'Codes found in this batch',
  'table.count': '{count} codes',
  'table.col.page': 'Page',
  'table.col.symbology': 'Symbology',
  'table.col.value': 'Value',
  'table.col.foundBy': 'Found by',
  'table.col.review': 'Review',
  'table.col.actions': 'Actions',
  'table.filter.symbology': 'Symbology',
  'table.filter.anySymbology': 'Every symbology',
  'table.filter.engine': 'Engine',
  'table.filter.anyEngine': 'Every engine',
  'table.filter.review': 'Review state',
  'table.filter.anyReview': 'Any review state',
  'table.empty': 'No code matches these filters.',
  'table.none': 'No code has been found in this batch yet.',
  'table.pageIn': 'p. {page}/{pages}',
  'table.copy': 'Copy',
  'table.copyTitle': 'Copy the value (Ctrl+C)',
  'table.copied': 'Copied: {value}',
  'table.open': 'Open',
  'table.openTitle': 'Open this page in review (Enter)',
  'table.corrected': 'Corrected; decoded: {value}',
  'table.hints': '↑/↓ rows · Enter opens the page · Ctrl+C copies the value',
};

export const enTableOne = {
  'table.count': '{count} code',
};
