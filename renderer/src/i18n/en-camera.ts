/** English: capture from a camera (new-batch dialog). */
export const enCamera = {
  'camera.open': 'Capture from camera',
  'camera.title': 'Camera',
  'camera.device': 'Camera',
  'camera.unnamed': 'Camera {n}',
  'camera.capture': 'Capture',
  'camera.close': 'Close camera',
  'camera.taken': '{count} captured',
  'camera.failed': 'The camera could not be opened ({reason}).',
  'camera.kept': '{count} frames captured from the camera',
  'camera.saving': 'Saving captured frames: {sent} of {total}',
  'camera.live': 'Codes in view',
  'camera.liveNone': 'No code in view yet',
  'camera.liveOff': 'Live outlines are paused ({reason}).',
};
