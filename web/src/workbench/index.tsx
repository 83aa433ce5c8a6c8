import type { AppContext } from '../app-context.ts';

/** Being built in this session: the area's page. */
export default function Workbench({ context }: { context: AppContext }) {
  return <h2>{context.t('workbenchTitle')}</h2>;
}
