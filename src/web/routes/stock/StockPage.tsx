import { useTranslation } from 'react-i18next';
import { TabbedPage } from '../../components/TabbedPage.js';
import { ArticlesTab } from './ArticlesTab.js';
import { LevelsTab } from './LevelsTab.js';
import { LocationsTab } from './LocationsTab.js';
import { MovementsTab } from './MovementsTab.js';
import { OrdersTab } from './OrdersTab.js';
import { TakesTab } from './TakesTab.js';

/** The store rooms: levels, articles, stock locations, the ledger, orders and counts; the tab is in the address. */
export function StockPage() {
  const { t } = useTranslation();
  return (
    <TabbedPage
      title={t('stock.title')}
      intro={t('stock.intro')}
      tabs={[
        { key: 'levels', label: t('stock.tabs.levels'), panel: <LevelsTab /> },
        { key: 'articles', label: t('stock.tabs.articles'), panel: <ArticlesTab /> },
        { key: 'locations', label: t('stock.tabs.locations'), panel: <LocationsTab /> },
        { key: 'movements', label: t('stock.tabs.movements'), panel: <MovementsTab /> },
        { key: 'orders', label: t('stock.tabs.orders'), panel: <OrdersTab /> },
        { key: 'takes', label: t('stock.tabs.takes'), panel: <TakesTab /> },
      ]}
    />
  );
}
