/** English: manual review (a code drawn by hand, "checked, no code here"). */
export const enReview = {
  'engineShort.manual': 'Manual',
  'manual.draw': 'Draw a code',
  'manual.drawHint': 'Drag a box around the code on the page (or keep the part in view), then type its value.',
  'manual.title': 'A code no engine found',
  'manual.value': 'Value',
  'manual.symbology': 'Symbology',
  'manual.save': 'Add code',
  'manual.cancel': 'Cancel',
  'manual.box': 'Box: {width} × {height} px at ({left}, {top})',
  'manual.added': 'Code added. Ctrl+Z takes it back.',
  'manual.noCode': 'No code here',
  'manual.noCodeTitle': 'Mark this page checked: it has no code',
  'manual.checked': 'Checked: no code on this page.',
  'help.drawCode': 'Draw a code no engine found',
  'help.noCode': 'Checked: no code on this page (again: take it back)',
};
