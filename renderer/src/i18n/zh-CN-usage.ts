import type { enUsage } from './en-usage';

/** 简体中文：云服务用量（设置 → 用量、批次花费、开始前的页数提示）。 */
export const zhCNUsage: Record<keyof typeof enUsage, string> = {
  'usage.heading': '用量',
  'usage.intro': 'ScanDesk 发给云服务商的每一次请求，按账号统计。计费调用是服务商收费的调用：成功的应答（阿里云的 image/codes 同时由 OSS 和 IMM 计费，所以两项都列出）。日期按服务商的日历（北京时间），每日配额在此时重置。',
  'usage.none': '还没有调用过云服务。',
  'usage.refresh': '刷新',
  'usage.today': '今天（{day}）',
  'usage.month': '本月（{month}）',
  'usage.account': '账号 {label}',
  'usage.noAccount': '无账号',
  'usage.col.operation': '接口',
  'usage.col.calls': '调用',
  'usage.col.billable': '计费',
  'usage.col.errors': '错误',
  'usage.col.bytes': '发送',
  'usage.batchSpent': '云服务调用：',
  'usage.batchLine': '{vendor} {operation}：{calls} 次（计费 {billable} 次）',
  'usage.batchErrors': '，错误 {count} 次',
  'send.title': '开始之前',
  'send.pages': '这个批次将向 {vendor} 发送 {count} 页。',
  'send.pagesUpTo': '这个批次最多向 {vendor} 发送 {count} 页：仅限第一个引擎未识别出内容的页面。',
  'send.stored': '另有 {count} 页已有保存的结果，不会再次发送。',
  'send.quota': '{vendor} {operation} 的基础账号每天可调用 {perDay} 次：此账号今天还剩 {left} 次，而这个批次需要 {needed} 次。计数在 {time} 重置；超出配额的页面会等到那时。',
  'send.confirm': '发送并开始',
  'send.back': '返回',
  'send.checking': '正在统计页数…',
};
