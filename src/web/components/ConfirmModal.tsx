import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AppModal } from './AppModal.js';
import { ErrorAlert } from './ErrorAlert.js';

type Props = {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  loading?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
};

export function ConfirmModal({
  opened,
  title,
  message,
  confirmLabel,
  danger,
  loading,
  error,
  onConfirm,
  onClose,
}: Props) {
  const { t } = useTranslation();
  return (
    <AppModal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text>{message}</Text>
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={danger ? 'red' : 'blue'} loading={loading} onClick={onConfirm} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

/**
 * Confirms a mutation on one item held in state (a row to delete, a token to revoke): open while an
 * item is set; closing forgets the item and the mutation's last error.
 */
export function ConfirmItemModal<T>({
  item,
  onClose,
  mutation,
  run,
  ...labels
}: Omit<Props, 'opened' | 'loading' | 'error' | 'onConfirm' | 'onClose'> & {
  item: T | null;
  onClose: () => void;
  mutation: { isPending: boolean; error: unknown; reset: () => void };
  run: (item: T) => void;
}) {
  return (
    <ConfirmModal
      {...labels}
      opened={item !== null}
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => item !== null && run(item)}
      onClose={() => {
        onClose();
        mutation.reset();
      }}
    />
  );
}
