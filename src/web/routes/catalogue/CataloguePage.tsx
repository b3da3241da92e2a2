import { useTranslation } from 'react-i18next';
import { TabbedPage } from '../../components/TabbedPage.js';
import { AssetTypesTab } from './AssetTypesTab.js';
import { ModelsTab } from './ModelsTab.js';
import { PartiesTab } from './PartiesTab.js';

/** Manufacturers, suppliers, models and asset types; the open tab is in the address. */
export function CataloguePage() {
  const { t } = useTranslation();
  return (
    <TabbedPage
      title={t('catalogue.title')}
      tabs={[
        {
          key: 'manufacturers',
          label: t('catalogue.manufacturers'),
          panel: <PartiesTab kind="manufacturers" />,
        },
        { key: 'suppliers', label: t('catalogue.suppliers'), panel: <PartiesTab kind="suppliers" /> },
        { key: 'models', label: t('catalogue.models'), panel: <ModelsTab /> },
        { key: 'types', label: t('catalogue.types'), panel: <AssetTypesTab /> },
      ]}
    />
  );
}
