import { useEffect, useRef, useState } from 'react';
import { useApp } from '../../api/context';

/**
 * "Capture from camera": the cameras the browser knows (a picker once permission gives their
 * names), a live preview of the chosen one, and Capture, which draws the current frame to a
 * canvas and hands it on as a PNG file named by the time it was taken (it then enters the batch
 * like a dropped file). The stream is stopped when the panel closes or the camera changes.
 */
export function CameraCapture(props: { onCapture: (file: File) => void; onClose: () => void }) {
  const { t, reportError } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [taken, setTaken] = useState(0);

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
    canvas.toBlob((blob) => {
      if (!blob) return reportError(new Error('The frame could not be encoded.'));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      props.onCapture(new File([blob], `camera-${stamp}.png`, { type: 'image/png' }));
      setTaken((n) => n + 1);
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
        <video ref={video} className="camera-preview" muted playsInline data-testid="camera-preview" />
      )}
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
