import { useEffect, useRef, useState } from 'react';
import { CAPTURE_LIMITS } from '../../../../shared/contract/camera';
import { useApp } from '../../api/context';
import { LiveCodesLine, LiveOutlines, useLiveCodes } from './LiveOutlines';

/**
 * "Capture from camera": the cameras the browser knows (a picker once permission gives their
 * names), a live preview of the chosen one, and Capture, which draws the current frame to a
 * canvas and hands it on as a PNG file named by the time it was taken (it then enters the batch
 * like a dropped file). The stream is stopped when the panel closes or the camera changes.
 * While it plays, the codes the local decoder reads in it are outlined on the picture.
 */
export function CameraCapture(props: { onCapture: (file: File) => void; onClose: () => void }) {
  const { t, reportError } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [taken, setTaken] = useState(0);
  const live = useLiveCodes(video, ready);

  useEffect(() => {
    let live = true;
    let stream: MediaStream | null = null;
    setReady(false);
    navigator.mediaDevices
      .getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId } } : true, audio: false })
      .then(async (s) => {
        if (!live) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        setError(null);
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        // Labels are known only once access is granted: list the cameras now.
        const all = await navigator.mediaDevices.enumerateDevices();
        if (!live) return;
        setDevices(all.filter((d) => d.kind === 'videoinput'));
        if (!deviceId) setDeviceId(s.getVideoTracks()[0]?.getSettings().deviceId ?? '');
        setReady(true);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    return () => {
      live = false;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [deviceId]);

  function capture() {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const done = (blob: Blob | null, type: string) => {
      if (!blob) return reportError(new Error('The frame could not be encoded.'));
      props.onCapture(new File([blob], `camera-${stamp}.${type === 'image/png' ? 'png' : 'jpg'}`, { type }));
      setTaken((n) => n + 1);
    };
    // PNG keeps every pixel; a frame too large for one request (a 4K sensor's noise) goes as a fine JPEG.
    canvas.toBlob((png) => {
      if (png && png.size > CAPTURE_LIMITS.maxBytes) canvas.toBlob((jpeg) => done(jpeg, 'image/jpeg'), 'image/jpeg', 0.95);
      else done(png, 'image/png');
    }, 'image/png');
  }

  return (
    <section className="camera" data-testid="camera" data-ready={ready ? 'true' : 'false'} aria-label={t('camera.title')}>
      <div className="row">
        <label className="field grow">
          <span>{t('camera.device')}</span>
          <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} data-testid="camera-device" disabled={devices.length === 0}>
            {devices.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label || t('camera.unnamed', { n: i + 1 })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="note error" role="alert" data-testid="camera-error">
          {t('camera.failed', { reason: error })}
        </p>
      ) : (
        <div className="camera-stage">
          <video ref={video} className="camera-preview" muted playsInline data-testid="camera-preview" />
          <LiveOutlines live={live} />
        </div>
      )}
      {!error && ready && <LiveCodesLine live={live} />}
      <div className="row">
        <button type="button" className="btn primary" onClick={capture} disabled={!ready} data-testid="camera-capture">
          {t('camera.capture')}
        </button>
        <button type="button" className="btn" onClick={props.onClose} data-testid="camera-close">
          {t('camera.close')}
        </button>
        {taken > 0 && (
          <span className="muted small" data-testid="camera-taken" data-count={taken}>
            {t('camera.taken', { count: taken })}
          </span>
        )}
      </div>
    </section>
  );
}
