/**
 * The reviewer workbench (审核端): the inbox of the reviewer's level and jurisdiction, one attempt
 * at a time, and the decision. The attempt open is in the address (`?attempt=<id>`), so a link to it
 * can be shared with a colleague and the browser's back button returns to the inbox.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { AttemptPage } from './attempt.tsx';
import type { DecidedOutcome } from './decision.tsx';
import { Inbox, type InboxFilters, NO_FILTERS } from './inbox.tsx';
import './workbench.css';

const attemptInAddress = () => new URLSearchParams(location.search).get('attempt') ?? undefined;

function go(attemptId: string | undefined) {
  const url = new URL(location.href);
  if (attemptId) url.searchParams.set('attempt', attemptId);
  else url.searchParams.delete('attempt');
  history.pushState(null, '', url.href);
}

const DECIDED_TEXT: Record<DecidedOutcome, string> = { accept: 'wbDecidedAccept', return: 'wbDecidedReturn', escalate: 'wbDecidedEscalate' };

export default function Workbench({ context }: { context: AppContext }) {
  const [attemptId, setAttemptId] = useState<string | undefined>(attemptInAddress);
  const [filters, setFilters] = useState<InboxFilters>(NO_FILTERS);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  useEffect(() => {
    const follow = () => setAttemptId(attemptInAddress());
    addEventListener('popstate', follow);
    return () => removeEventListener('popstate', follow);
  }, []);
  useEffect(() => scrollTo(0, 0), [attemptId]);
  const open = (id: string | undefined) => {
    go(id);
    setAttemptId(id);
  };
  if (attemptId)
    return (
      <AttemptPage
        key={attemptId}
        context={context}
        attemptId={attemptId}
        onBack={() => {
          setNotice(undefined);
          open(undefined);
        }}
        onDecided={(outcome, view) => {
          setNotice(
            context.t('wbDecided', {
              outcome: context.t(DECIDED_TEXT[outcome]),
              enterprise: view.enterpriseName ?? view.attempt.enterpriseId,
              period: view.attempt.period,
            }),
          );
          open(undefined);
        }}
      />
    );
  return (
    <Inbox
      context={context}
      filters={filters}
      onFilters={(next) => {
        setNotice(undefined);
        setFilters(next);
      }}
      onOpen={(item) => open(item.attemptId)}
      {...(notice ? { notice } : {})}
    />
  );
}
