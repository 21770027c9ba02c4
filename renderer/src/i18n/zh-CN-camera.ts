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
};
