/**
 * pdf.js, loaded only when a reviewer opens a PDF preview (preview.tsx imports this module
 * dynamically), so the inbox and the attempt page never carry its weight. Its worker is an asset
 * of its own, fetched by pdf.js from the same origin when the first document opens.
 */
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
// Bundled by Vite as a worker script of its own (.js): served as JavaScript wherever the site is,
// where a bare .mjs asset depends on the server knowing that extension's type.
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?worker&url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy };

/** Opens a PDF by its presigned URL (the bucket must allow this origin's GET: CORS). */
export function openPdf(url: string): { promise: Promise<PDFDocumentProxy>; destroy: () => Promise<void> } {
  // No eval: the page's content security policy does not allow it.
  const task = getDocument({ url, isEvalSupported: false });
  return { promise: task.promise, destroy: () => task.destroy() };
}

/** Draws one page into the canvas at a width that fits its container (and sharp on dense screens). */
export async function renderPage(document: PDFDocumentProxy, pageNumber: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const page = await document.getPage(pageNumber);
  const base = page.getViewport({ scale: 1 });
  const scale = Math.max(0.25, cssWidth / base.width);
  const ratio = globalThis.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
  await page.render({ canvas, viewport }).promise;
}
