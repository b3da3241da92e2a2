import { Alert, Button, List, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage, otherFieldErrors } from './errors.js';

type Props = {
  error: unknown;
  /** Fields shown by the form itself: their errors appear under them, not here. */
  fields?: readonly string[];
  onRetry?: () => void;
  title?: string;
};

/** A failed request, explained: translated message, stray field errors, and a retry when it helps. */
export function ErrorAlert({ error, fields = [], onRetry, title }: Props) {
  const { t } = useTranslation();
  if (!error) return null;
  const others = otherFieldErrors(error, fields);
  return (
    <Alert color="red" variant="light" title={title ?? t('common.errorTitle')} role="alert">
      <Stack gap="xs">
        <span>{errorMessage(t, error)}</span>
        {others.length > 0 && (
          <List size="sm">
            {others.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        )}
        {onRetry && (
          <div>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
