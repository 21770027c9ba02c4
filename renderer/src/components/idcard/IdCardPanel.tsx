import { useState } from 'react';
import type { StoredDetection } from '../../../../shared/detection';
import type { IdCardFacts } from '../../../../shared/idcard';
import { useApp } from '../../api/context';

/**
 * What IDCardOCR said about the card on this page, above its fields: the side, each warning as
 * a badge (in the service's own wording, English or Chinese), the quality and border scores,
 * where glare covers the card, and the card and portrait crops. The crops are personal data:
 * fetched from the media route only when the user asks to see them, never cached by the page.
 */
export function IdCardPanel(props: { detections: readonly StoredDetection[] }) {
  const { client, t, locale } = useApp();
  const [showCrops, setShowCrops] = useState(false);
  const owner = cardOwner(props.detections);
  if (!owner) return null;
  const card = owner.extra!.card as IdCardFacts;
  const crops = card.crops ?? [];
  const zh = locale === 'zh-CN';

  return (
    <section className="idcard-panel" data-testid="idcard-panel" data-side={card.side} aria-label={t('idcard.card')}>
      <div className="idcard-head">
        <strong>{t('idcard.card')}</strong>
        <span className="muted small">{t(`idcard.side.${card.side}`)}</span>
      </div>
      {(card.warnings.length > 0 || card.quality !== undefined || card.borderCodeValue !== undefined) && (
        <div className="idcard-badges" role="list">
          {card.warnings.map((w) => (
            <span key={w.code} role="listitem" className="idcard-badge warn" data-testid="idcard-warning" data-code={w.code} title={String(w.code)}>
              {zh ? w.zh : w.en}
            </span>
          ))}
          {card.quality !== undefined && (
            <span role="listitem" className={`idcard-badge ${card.quality < 50 ? 'warn' : 'info'}`} data-testid="idcard-quality" data-score={card.quality}>
              {t('idcard.quality', { score: card.quality })}
            </span>
          )}
          {card.borderCodeValue !== undefined && (
            <span role="listitem" className={`idcard-badge ${card.borderCodeValue > 50 ? 'warn' : 'info'}`} data-testid="idcard-border" data-score={card.borderCodeValue}>
              {t('idcard.border', { score: card.borderCodeValue })}
            </span>
          )}
        </div>
      )}
      {card.reflections && card.reflections.length > 0 && (
        <p className="muted small" data-testid="idcard-glare">
          {t('idcard.glareAt', { where: card.reflections.map((r) => t(`idcard.reflect.${r}` as never)).join(zh ? '、' : ', ') })}
        </p>
      )}
      {crops.length > 0 && (
        <>
          <button type="button" className="btn small" aria-pressed={showCrops} onClick={() => setShowCrops(!showCrops)} data-testid="idcard-show-crops">
            {showCrops ? t('idcard.hideCrops') : t('idcard.showCrops')}
          </button>
          {showCrops && (
            <div className="idcard-crops">
              {crops.includes('idcard') && (
                <figure>
                  <img src={client.cropUrl('idcard', owner.id)} alt={t('idcard.cropCard')} data-testid="idcard-crop-idcard" />
                  <figcaption className="muted small">{t('idcard.cropCard')}</figcaption>
                </figure>
              )}
              {crops.includes('portrait') && (
                <figure className="portrait">
                  <img src={client.cropUrl('portrait', owner.id)} alt={t('idcard.cropPortrait')} data-testid="idcard-crop-portrait" />
                  <figcaption className="muted small">{t('idcard.cropPortrait')}</figcaption>
                </figure>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** The detection whose result holds the card facts (every field of one card carries the same). */
function cardOwner(detections: readonly StoredDetection[]): StoredDetection | null {
  return detections.find((d) => d.extra?.card && typeof d.extra.card === 'object') ?? null;
}
