import { describe, expect, it } from 'vitest';
import { ZAssetTypeUpdate, ZAssetUpdate, ZLocationUpdate, ZModelUpdate, ZPartyUpdate } from './assets.js';
import { ZOrganisationUpdate } from './orgs.js';

// Zod 4 fills in a field's default even under .partial(): a PATCH naming one field would then reset
// every other field that has a default. Every update body must leave out what the caller left out.
describe('PATCH bodies', () => {
  const updates = {
    ZAssetUpdate,
    ZAssetTypeUpdate,
    ZLocationUpdate,
    ZModelUpdate,
    ZOrganisationUpdate,
    ZPartyUpdate,
  };
  for (const [name, schema] of Object.entries(updates)) {
    it(`${name} adds no field the body does not name`, () => {
      expect(schema.parse({})).toEqual({});
    });
  }

  it('still validates the fields that are sent', () => {
    expect(ZLocationUpdate.safeParse({ rackUnits: 61 }).success).toBe(false);
    expect(ZLocationUpdate.parse({ name: ' Salle 12 ' })).toEqual({ name: 'Salle 12' });
  });
});
