import type { enCamera } from './en-camera';

/** 简体中文：从摄像头拍摄（新建批次）。 */
export const zhCNCamera: Record<keyof typeof enCamera, string> = {
  'camera.open': '从摄像头拍摄',
  'camera.title': '摄像头',
  'camera.device': '摄像头',
  'camera.unnamed': '摄像头 {n}',
  'camera.capture': '拍摄',
  'camera.close': '关闭摄像头',
  'camera.taken': '已拍摄 {count} 张',
  'camera.failed': '无法打开摄像头（{reason}）。',
  'camera.kept': '从摄像头拍摄的 {count} 张',
  'camera.saving': '正在保存拍摄的画面：{sent} / {total}',
  'camera.live': '画面中的条码',
  'camera.liveNone': '画面中暂未发现条码',
  'camera.liveOff': '实时框选已暂停（{reason}）。',
};
