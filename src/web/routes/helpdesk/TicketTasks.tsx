import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createTask, deleteTask, listTasks, type TicketTask, updateTask } from '../../api/helpdesk.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { fieldError } from '../../components/errors.js';
import { formatMinutes, isConflict } from './shared.js';

/** The technicians' to-do list on a ticket, with the time each step took and the total. */
export function TicketTasks({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['ticket', ticketId, 'tasks'];
  const tasks = useQuery({ queryKey: key, queryFn: () => listTasks(ticketId) });
  const [description, setDescription] = useState('');
  const [minutes, setMinutes] = useState<number | string>('');
  const [conflict, setConflict] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: key });

  const add = useMutation({
    mutationFn: () =>
      createTask(ticketId, { description: description.trim(), minutes: Number(minutes) || 0 }),
    onSuccess: () => {
      setDescription('');
      setMinutes('');
      refresh();
    },
  });
  const update = useMutation({
    mutationFn: ({ task, patch }: { task: TicketTask; patch: { done?: boolean; minutes?: number } }) =>
      updateTask(task, patch),
    onSuccess: () => {
      setConflict(false);
      refresh();
    },
    onError: (err) => {
      if (isConflict(err)) {
        setConflict(true);
        refresh();
      }
    },
  });
  const remove = useMutation({
    mutationFn: (task: TicketTask) => deleteTask(task),
    onSuccess: refresh,
    onError: (err) => {
      if (isConflict(err)) {
        setConflict(true);
        refresh();
      }
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (description.trim()) add.mutate();
  };
  const items = tasks.data ?? [];
  const total = items.reduce((sum, task) => sum + task.minutes, 0);
  const done = items.filter((task) => task.done).length;

  return (
    <Card withBorder component="section" aria-labelledby="ticket-tasks">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="ticket-tasks">
            {t('helpdesk.tasks.title')}
          </Title>
          {items.length > 0 && (
            <Text size="sm" c="dimmed">
              {t('helpdesk.tasks.progress', { done, count: items.length })}
            </Text>
          )}
        </Group>
        {tasks.isPending && <Skeleton height={60} aria-label={t('app.loading')} />}
        {tasks.isError && <ErrorAlert error={tasks.error} onRetry={() => void tasks.refetch()} />}
        {conflict && (
          <Text size="sm" c="orange.8" role="alert">
            {t('helpdesk.tasks.conflict')}
          </Text>
        )}
        <ErrorAlert error={isConflict(update.error) ? null : update.error} />
        <ErrorAlert error={isConflict(remove.error) ? null : remove.error} />
        {tasks.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('helpdesk.tasks.empty')}
          </Text>
        )}
        {items.map((task) => (
          <Group key={task.id} gap="xs" wrap="nowrap" align="center">
            <Checkbox
              checked={task.done}
              onChange={(e) => update.mutate({ task, patch: { done: e.currentTarget.checked } })}
              label={
                <Text
                  size="sm"
                  td={task.done ? 'line-through' : undefined}
                  c={task.done ? 'dimmed' : undefined}
                >
                  {task.description}
                </Text>
              }
              style={{ flex: 1 }}
            />
            <NumberInput
              aria-label={t('helpdesk.tasks.minutesOf', { task: task.description })}
              defaultValue={task.minutes}
              key={`${task.id}-${task.version}`}
              min={0}
              max={100000}
              step={5}
              w={90}
              size="xs"
              suffix=" min"
              onBlur={(e) => {
                const value = Number.parseInt(e.currentTarget.value, 10) || 0;
                if (value !== task.minutes) update.mutate({ task, patch: { minutes: value } });
              }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('helpdesk.tasks.delete', { task: task.description })}
              onClick={() => remove.mutate(task)}
              loading={remove.isPending && remove.variables?.id === task.id}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        {items.length > 0 && (
          <Text size="sm" fw={600}>
            {t('helpdesk.tasks.total', { time: formatMinutes(t, total) })}
          </Text>
        )}
        <form onSubmit={onSubmit}>
          <Stack gap="xs">
            <ErrorAlert error={add.error} fields={['description', 'minutes']} />
            <TextInput
              label={t('helpdesk.tasks.new')}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={fieldError(add.error, 'description')}
              size="xs"
            />
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <NumberInput
                label={t('helpdesk.tasks.minutes')}
                value={minutes}
                onChange={setMinutes}
                min={0}
                max={100000}
                step={5}
                w={90}
                size="xs"
                error={fieldError(add.error, 'minutes')}
              />
              <Button type="submit" size="xs" loading={add.isPending} disabled={!description.trim()}>
                {t('helpdesk.tasks.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}
