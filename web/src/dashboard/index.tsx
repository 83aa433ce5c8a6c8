import type { AppContext } from '../app-context.ts';

/** Being built in this session: the area's page. */
export default function Dashboard({ context }: { context: AppContext }) {
  return <h2>{context.t('dashboardTitle')}</h2>;
}
