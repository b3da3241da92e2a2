import { useTranslation } from 'react-i18next';
import { TabbedPage } from '../../components/TabbedPage.js';
import { EventsTab } from './EventsTab.js';
import { IncidentsTab } from './IncidentsTab.js';
import { RulesTab } from './RulesTab.js';
import { SourcesTab } from './SourcesTab.js';

/** Security monitoring: incidents, the events explorer, detection rules and log sources; the tab is in the address. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <TabbedPage
      title={t('security.title')}
      intro={t('security.intro')}
      tabs={[
        { key: 'incidents', label: t('security.tabs.incidents'), panel: <IncidentsTab /> },
        { key: 'events', label: t('security.tabs.events'), panel: <EventsTab /> },
        { key: 'rules', label: t('security.tabs.rules'), panel: <RulesTab /> },
        { key: 'sources', label: t('security.tabs.sources'), panel: <SourcesTab /> },
      ]}
    />
  );
}
