import { isValidElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { inline, parseBlocks } from './Markdown.js';

describe('procedure markdown', () => {
  it('reads headings, numbered and bulleted lists, quotes, code and paragraphs', () => {
    const blocks = parseBlocks(
      '# Avant\nCouper le courant\npuis attendre.\n\n1. Ouvrir\n2. Débrancher\n   le câble\n- un\n- deux\n> attention\n```\nipconfig /all\n```',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list', 'quote', 'code']);
    expect(blocks[1]).toMatchObject({ lines: ['Couper le courant', 'puis attendre.'] });
    expect(blocks[2]).toMatchObject({ ordered: true, start: 1, items: ['Ouvrir', 'Débrancher le câble'] });
    expect(blocks[3]).toMatchObject({ ordered: false, items: ['un', 'deux'] });
    expect(blocks[5]).toMatchObject({ text: 'ipconfig /all' });
  });

  it('marks code, bold, italic and safe links only; markup stays text', () => {
    const parts = inline(
      'Lancer `gpupdate` **puis** *redémarrer*, voir [doc](https://ex.test/a) <b>x</b>',
      'k',
    );
    const kinds = parts.map((p) =>
      isValidElement(p) ? String((p as ReactElement<{ href?: string }>).props.href ?? typeof p.type) : p,
    );
    expect(kinds.filter((k) => typeof k === 'string' && k.startsWith('https'))).toEqual([
      'https://ex.test/a',
    ]);
    expect(parts.filter(isValidElement)).toHaveLength(4);
    expect(parts.at(-1)).toBe(' <b>x</b>');
    // A javascript: link is left as plain text.
    expect(inline('[clic](javascript:alert(1))', 'k').every((p) => typeof p === 'string')).toBe(true);
  });
});
