import { Button, EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState title={t('common.notFound')} description={t('common.notFoundText')} py="xl">
      <Button component={Link} to="/">
        {t('common.backHome')}
      </Button>
    </EmptyState>
  );
}
