import { Anchor, Blockquote, Code, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The little markdown a procedure needs, rendered as React elements (never as HTML, so nothing a
 * writer types can run): headings, paragraphs, numbered and bulleted lists, quotes, fenced code,
 * and inline `code`, **bold**, *italic* and [links](https://…) to http(s) and mailto addresses.
 */
export function Markdown({ text }: { text: string }) {
  const blocks = parseBlocks(text);
  if (blocks.length === 0) return null;
  return (
    <Stack gap="sm" className="kb-markdown">
      {blocks.map((b) => renderBlock(b))}
    </Stack>
  );
}

type Block =
  | { kind: 'heading'; key: string; level: number; text: string }
  | { kind: 'paragraph'; key: string; lines: string[] }
  | { kind: 'list'; key: string; ordered: boolean; start: number; items: string[] }
  | { kind: 'quote'; key: string; lines: string[] }
  | { kind: 'code'; key: string; text: string };

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,4})[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** A line that opens a block of its own, ending the paragraph or list before it. */
const startsBlock = (line: string) =>
  FENCE.test(line) ||
  HEADING.test(line) ||
  BULLET.test(line) ||
  NUMBERED.test(line) ||
  line.trimStart().startsWith('>');

export function parseBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const key = `b${i}`;
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i += 1;
      blocks.push({ kind: 'code', key, text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', key, level: heading[1]!.length, text: heading[2]! });
      i += 1;
      continue;
    }
    if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = !BULLET.test(line);
      const pattern = ordered ? NUMBERED : BULLET;
      const start = ordered ? Number(NUMBERED.exec(line)![1]) : 1;
      const items: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '') {
        const m = pattern.exec(lines[i]!);
        if (m) items.push(ordered ? m[2]! : m[1]!);
        else if (startsBlock(lines[i]!)) break;
        // A line that is not an item continues the previous one.
        else items[items.length - 1] = `${items[items.length - 1]} ${lines[i]!.trim()}`;
        i += 1;
      }
      blocks.push({ kind: 'list', key, ordered, start, items });
      continue;
    }
    if (line.trimStart().startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('>'))
        quoted.push(lines[i++]!.trimStart().replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', key, lines: quoted });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!)) {
      para.push(lines[i++]!.trim());
    }
    blocks.push({ kind: 'paragraph', key, lines: para });
  }
  return blocks;
}

function renderBlock(b: Block): ReactNode {
  switch (b.kind) {
    case 'heading':
      // The page title is an h2 and sections are h3: a procedure's own headings come below.
      return (
        <Title key={b.key} order={(b.level <= 1 ? 4 : b.level === 2 ? 5 : 6) as 4 | 5 | 6}>
          {inline(b.text, b.key)}
        </Title>
      );
    case 'paragraph':
      return (
        <Text key={b.key} size="sm">
          {lines(b.lines, b.key)}
        </Text>
      );
    case 'quote':
      return (
        <Blockquote key={b.key} p="sm">
          {lines(b.lines, b.key)}
        </Blockquote>
      );
    case 'code':
      return (
        <Code key={b.key} block>
          {b.text}
        </Code>
      );
    case 'list':
      return (
        <List
          key={b.key}
          type={b.ordered ? 'ordered' : 'unordered'}
          start={b.ordered ? b.start : undefined}
          size="sm"
          spacing={4}
          withPadding
        >
          {b.items.map((item, n) => {
            const k = `${b.key}-${n}`;
            return <List.Item key={k}>{inline(item, k)}</List.Item>;
          })}
        </List>
      );
  }
}

function lines(list: string[], key: string): ReactNode[] {
  const out: ReactNode[] = [];
  list.forEach((line, n) => {
    const k = `${key}-${n}`;
    if (n > 0) out.push(<br key={`${k}-br`} />);
    out.push(...inline(line, k));
  });
  return out;
}

const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Inline marks, earliest first; anything unmatched stays plain text. */
const INLINE: Array<{ re: RegExp; render: (m: RegExpExecArray, key: string) => ReactNode }> = [
  { re: /`([^`]+)`/, render: (m, key) => <Code key={key}>{m[1]}</Code> },
  {
    re: /\[([^\]]+)\]\(([^)\s]+)\)/,
    render: (m, key) =>
      SAFE_URL.test(m[2]!) ? (
        <Anchor key={key} href={m[2]} target="_blank" rel="noopener noreferrer nofollow">
          {m[1]}
        </Anchor>
      ) : (
        m[0]
      ),
  },
  { re: /\*\*([^*]+)\*\*/, render: (m, key) => <strong key={key}>{inline(m[1]!, key)}</strong> },
  { re: /(?<![\w*])\*([^*\s][^*]*)\*(?!\w)/, render: (m, key) => <em key={key}>{inline(m[1]!, key)}</em> },
  { re: /(?<!\w)_([^_\s][^_]*)_(?!\w)/, render: (m, key) => <em key={key}>{inline(m[1]!, key)}</em> },
];

export function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest.length > 0) {
    let best: { m: RegExpExecArray; render: (typeof INLINE)[number]['render'] } | null = null;
    for (const { re, render } of INLINE) {
      const m = re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { m, render };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    if (best.m.index > 0) out.push(rest.slice(0, best.m.index));
    out.push(best.render(best.m, `${key}-${n++}`));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  return out;
}
