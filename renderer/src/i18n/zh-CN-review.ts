import type { enReview } from './en-review';

/** 简体中文：人工复核（手动框选条码、“已检查，无条码”）。 */
export const zhCNReview: Record<keyof typeof enReview, string> = {
  'engineShort.manual': '人工',
  'manual.draw': '框选条码',
  'manual.drawHint': '在页面上拖出条码所在的方框（或保留当前可见区域），然后输入条码内容。',
  'manual.title': '引擎未识别的条码',
  'manual.value': '内容',
  'manual.symbology': '码制',
  'manual.save': '添加条码',
  'manual.cancel': '取消',
  'manual.box': '方框：{width} × {height} 像素，位于 ({left}, {top})',
  'manual.reading': '正在以原始分辨率识别框内内容…',
  'manual.readOne': '已在框内识别出（{symbology}）：请核对，或手动输入。',
  'manual.readMany': '框内识别出 {count} 个条码：请选择一个。',
  'manual.readNone': '框内未能识别出内容：请手动输入。',
  'manual.added': '已添加条码。按 Ctrl+Z 可撤销。',
  'manual.noCode': '此页无条码',
  'manual.noCodeTitle': '标记此页已检查：没有条码',
  'manual.checked': '已检查：此页没有条码。',
  'review.revealFile': '在文件夹中显示',
  'review.revealFileTitle': '在文件管理器中显示此页的文件',
  'redo.done': '已重做（{count}）',
  'redo.nothing': '此批次没有可重做的操作',
  'help.redo': '重做',
  'help.drawCode': '框选引擎未识别的条码',
  'help.noCode': '已检查：此页没有条码（再按一次撤回）',
};
