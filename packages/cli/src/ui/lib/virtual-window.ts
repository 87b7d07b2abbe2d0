/** Which rows of a long fixed-height list to render: the ones on screen plus a margin. */

export interface RowWindow {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (exclusive). */
  last: number;
}

/**
 * @param margin extra rows above and below the viewport, so fast scrolling does not show gaps.
 */
export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, margin = 20): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const bottom = Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + margin;
  return { first: Math.min(top, total), last: Math.min(Math.max(bottom, top), total) };
}

/** The scrollTop that brings row `index` into view (centred when it was off screen). */
export function scrollTopFor(index: number, rowHeight: number, viewportHeight: number, currentTop: number): number {
  const rowTop = index * rowHeight;
  if (rowTop >= currentTop && rowTop + rowHeight <= currentTop + viewportHeight) return currentTop;
  return Math.max(0, rowTop - Math.floor(viewportHeight / 2));
}
