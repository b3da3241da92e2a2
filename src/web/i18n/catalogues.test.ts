import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES } from '../../shared/policy.js';
import { en } from './en.js';
import { fr } from './fr.js';

describe('web catalogues', () => {
  // (The English catalogue is typed after the French one, so both hold the same keys.)
  it('name every role and every permission in both languages', () => {
    for (const catalogue of [fr, en]) {
      expect(Object.keys(catalogue.permissions).sort()).toEqual([...ACTIONS].sort());
      expect(Object.keys(catalogue.roles).sort()).toEqual([...ROLES].sort());
    }
  });
});
