export { WeChatEngine, WECHAT_BUDGET, type WeChatEngineOptions } from './engine';
export { WeChatClient, WECHAT_BASE_URL, type WeChatClientOptions } from './client';
export { symbologyFromWeChat } from './to-detection';
