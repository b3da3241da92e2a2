import { ActionIcon, Indicator, Menu, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { listNotifications, markNotificationRead } from '../routes/security/api.js';
import { formatDateTime } from './format.js';

/** The security officer's in-app alerts: unread count in the header, the latest in a menu. */
export function SecurityBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // New incidents are told within seconds: poll every 15 s while the page is open.
  const query = useQuery({
    queryKey: ['security', 'notifications'],
    queryFn: listNotifications,
    refetchInterval: 15_000,
  });
  const read = useMutation({
    mutationFn: markNotificationRead,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['security', 'notifications'] }),
  });
  const unread = query.data?.unread ?? 0;
  return (
    <Menu position="bottom-end" width={340}>
      <Menu.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} color="red" disabled={unread === 0}>
          <ActionIcon variant="subtle" aria-label={t('security.notifications', { count: unread })}>
            <svg
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              aria-hidden="true"
            >
              <path d="M12 3l8 3v6c0 5-3.5 8.5-8 9-4.5-.5-8-4-8-9V6z" />
            </svg>
          </ActionIcon>
        </Indicator>
      </Menu.Target>
      <Menu.Dropdown>
        {(query.data?.items ?? []).length === 0 && (
          <Text size="sm" c="dimmed" p="sm">
            {t('security.noNotifications')}
          </Text>
        )}
        {(query.data?.items ?? []).map((n) => (
          <Menu.Item
            key={n.id}
            onClick={() => {
              if (!n.readAt) read.mutate(n.id);
              void navigate(`/security/incidents/${n.incidentId}`);
            }}
          >
            <Text size="sm" fw={n.readAt ? 400 : 700}>
              {t(`security.notificationKind.${n.kind === 'escalated' ? 'escalated' : 'opened'}`, {
                title: n.title,
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`security.severity.${n.severity}`)} · {formatDateTime(n.createdAt)}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
