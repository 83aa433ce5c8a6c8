/**
 * One evidence file shown in the page, by the presigned link to the version the attempt recorded:
 * a PDF drawn page by page with pdf.js (loaded on the first preview only), an image as an <img>,
 * anything else offered as a download. A preview that cannot load says why and keeps the download.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { type FileWithLink, previewKind } from './model.ts';
import type { PDFDocumentProxy } from './pdf-render.ts';

export function Preview({ context, file, onClose }: { context: AppContext; file: FileWithLink; onClose: () => void }) {
  const { t } = context;
  const kind = previewKind(file);
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus follows the person to what they opened, so a keyboard user lands on the preview.
  useEffect(() => heading.current?.focus(), [file.key]);
  return (
    <section class="wb-preview" aria-labelledby="wb-preview-title" data-testid="preview">
      <div class="wb-preview-head">
        <h3 id="wb-preview-title" tabIndex={-1} ref={heading}>
          {t('wbPreviewTitle', { file: file.fileName })}
        </h3>
        <button type="button" onClick={onClose}>
          {t('wbPreviewClose')}
        </button>
      </div>
      {!file.url ? (
        <p role="alert">{t('wbUnreadable', { reason: file.unreadable ?? '' })}</p>
      ) : kind === 'pdf' ? (
        <PdfPreview key={file.key} context={context} file={file} url={file.url} />
      ) : kind === 'image' ? (
        <img class="wb-preview-image" src={file.url} alt={file.fileName} />
      ) : (
        <p>{t('wbPreviewUnsupported')}</p>
      )}
      {file.url && (
        <p>
          <a href={file.url} rel="noopener">
            {t('wbDownload', { file: file.fileName })}
          </a>
        </p>
      )}
    </section>
  );
}

type PdfState = { kind: 'loading' } | { kind: 'ready'; document: PDFDocumentProxy; pages: number } | { kind: 'failed'; message: string };

function PdfPreview({ context, file, url }: { context: AppContext; file: FileWithLink; url: string }) {
  const { t } = context;
  const [state, setState] = useState<PdfState>({ kind: 'loading' });
  const [page, setPage] = useState(1);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let closed = false;
    let destroy: (() => Promise<void>) | undefined;
    void (async () => {
      try {
        const pdf = await import('./pdf-render.ts');
        if (closed) return;
        const task = pdf.openPdf(url);
        destroy = task.destroy;
        const document = await task.promise;
        if (!closed) setState({ kind: 'ready', document, pages: document.numPages });
      } catch (error) {
        if (!closed) setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => {
      closed = true;
      void destroy?.();
    };
  }, [url]);
  useEffect(() => {
    if (state.kind !== 'ready' || !canvas.current) return;
    const width = Math.min(900, box.current?.clientWidth ?? 600);
    const target = canvas.current;
    void import('./pdf-render.ts')
      .then((pdf) => pdf.renderPage(state.document, page, target, width))
      .catch((error: unknown) => setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
  }, [state, page]);
  if (state.kind === 'failed') return <p role="alert">{t('wbPreviewFailed', { message: state.message })}</p>;
  return (
    <div class="wb-pdf" ref={box}>
      {state.kind === 'loading' && <p role="status">{t('wbPreviewLoading')}</p>}
      {state.kind === 'ready' && state.pages > 1 && (
        <div class="wb-pdf-pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('wbPrevPage')}
          </button>
          <span aria-live="polite">{t('wbPage', { page, pages: state.pages })}</span>
          <button type="button" disabled={page >= state.pages} onClick={() => setPage(page + 1)}>
            {t('wbNextPage')}
          </button>
        </div>
      )}
      <canvas ref={canvas} role="img" aria-label={t('wbPdfPage', { file: file.fileName, page })} data-testid="pdf-canvas" hidden={state.kind !== 'ready'} />
    </div>
  );
}
