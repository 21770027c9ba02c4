/**
 * Arrow-key movement in the thumbnail grid: the index of the card to focus next, or null for
 * keys the grid does not handle. `page` is how many cards one screen holds (PageUp/PageDown).
 */
export function gridMove(key: string, index: number, total: number, cols: number, page: number): number | null {
  if (total <= 0) return null;
  let next: number;
  switch (key) {
    case 'ArrowRight':
      next = index + 1;
      break;
    case 'ArrowLeft':
      next = index - 1;
      break;
    case 'ArrowDown':
      next = index + cols;
      break;
    case 'ArrowUp':
      next = index - cols;
      break;
    case 'PageDown':
      next = index + page;
      break;
    case 'PageUp':
      next = index - page;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = total - 1;
      break;
    default:
      return null;
  }
  return Math.min(total - 1, Math.max(0, next));
}
