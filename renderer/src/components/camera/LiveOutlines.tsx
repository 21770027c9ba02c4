import { useEffect, useState, type RefObject } from 'react';
import type { LiveCode } from '../../../../shared/contract/camera';
import { useApp } from '../../api/context';
import { sampleFrame } from '../../logic/live-frame';

/** How often a frame is sampled while the camera plays (a read takes a fraction of it). */
const LIVE_INTERVAL_MS = 300;
/** After a failed read, wait longer before the next (a decoder that fails keeps failing). */
const LIVE_RETRY_MS = 2_000;

export interface LiveState {
  /** The frame the codes were read in (their corners are in its pixels). */
  frame: { width: number; height: number } | null;
  codes: LiveCode[];
  error: string | null;
}

/**
 * Samples the playing video a few times a second and has the local decoder read each sample
 * (`camera.readFrame`: a worker thread of the host, never this page's thread). One read at a
 * time: the next frame is taken only once the last answer is in, so a slow machine reads fewer
 * frames rather than queueing them.
 */
export function useLiveCodes(video: RefObject<HTMLVideoElement | null>, playing: boolean): LiveState {
  const { client } = useApp();
  const [state, setState] = useState<LiveState>({ frame: null, codes: [], error: null });
  useEffect(() => {
    if (!playing) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement('canvas');
    const tick = async () => {
      let wait = LIVE_INTERVAL_MS;
      const v = video.current;
      if (v && !document.hidden) {
        try {
          const frame = await sampleFrame(v, canvas);
          if (frame && !stopped) {
            const { codes } = await client.call('camera.readFrame', frame);
            if (!stopped) setState({ frame: { width: frame.width, height: frame.height }, codes, error: null });
          }
        } catch (e) {
          wait = LIVE_RETRY_MS;
          if (!stopped) setState({ frame: null, codes: [], error: e instanceof Error ? e.message : String(e) });
        }
      }
      if (!stopped) timer = setTimeout(() => void tick(), wait);
    };
    timer = setTimeout(() => void tick(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, video, playing]);
  return state;
}

/**
 * The codes in view, outlined over the preview: an SVG in the frame's pixels laid over the
 * video's box and fitted like it (`meet` is the SVG's `object-fit: contain`).
 */
export function LiveOutlines({ live }: { live: LiveState }) {
  const { frame, codes } = live;
  if (!frame) return null;
  return (
        <svg className="camera-outlines" viewBox={`0 0 ${frame.width} ${frame.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
          {codes
            .filter((c) => c.points.length >= 3)
            .map((c, i) => (
              <polygon
                key={`${i}-${c.text}`}
                className="camera-outline"
                points={c.points.map((p) => `${p.x},${p.y}`).join(' ')}
                data-testid="camera-outline"
                data-value={c.text}
                data-symbology={c.symbology}
              />
            ))}
        </svg>
  );
}

/** The codes in view by value (what the outlines are, for reading and for screen readers). */
export function LiveCodesLine({ live }: { live: LiveState }) {
  const { t } = useApp();
  const { codes, error } = live;
  return (
      <p className="camera-live small" aria-live="polite" data-testid="camera-live" data-count={codes.length}>
        {error ? (
          <span className="muted">{t('camera.liveOff', { reason: error })}</span>
        ) : codes.length === 0 ? (
          <span className="muted">{t('camera.liveNone')}</span>
        ) : (
          <>
            <span className="muted">{t('camera.live')}: </span>
            {codes.map((c, i) => (
              <span key={`${i}-${c.text}`} className="camera-live-code" data-testid="camera-live-code" data-value={c.text} title={c.symbology}>
                {c.text}
              </span>
            ))}
          </>
        )}
      </p>
  );
}
