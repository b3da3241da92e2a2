import { z } from 'zod';
import {
  type SEARCH_SCOPES,
  ZSavedSearch,
  type ZSavedSearchCreate,
  type ZSavedSearchUpdate,
} from '../../shared/schemas/searches.js';
import { request } from './client.js';

export type SavedSearch = z.infer<typeof ZSavedSearch>;
export type SavedSearchCreate = z.input<typeof ZSavedSearchCreate>;
export type SavedSearchUpdate = z.input<typeof ZSavedSearchUpdate>;
export type SearchScope = (typeof SEARCH_SCOPES)[number];

const ZSavedSearches = z.object({ items: z.array(ZSavedSearch) });
const id = (value: string) => encodeURIComponent(value);

/** The caller's own searches of a list, then those others shared with an organisation. */
export async function listSavedSearches(scope: SearchScope): Promise<SavedSearch[]> {
  return (await request('GET', '/saved-searches', { query: { scope }, schema: ZSavedSearches })).data.items;
}
export async function createSavedSearch(input: SavedSearchCreate): Promise<SavedSearch> {
  return (await request('POST', '/saved-searches', { body: input, schema: ZSavedSearch })).data;
}
/** `etag` is `"v<version>"` of the search as read. */
export async function updateSavedSearch(
  searchId: string,
  input: SavedSearchUpdate,
  etag: string,
): Promise<SavedSearch> {
  return (
    await request('PATCH', `/saved-searches/${id(searchId)}`, {
      body: input,
      ifMatch: etag,
      schema: ZSavedSearch,
    })
  ).data;
}
export async function deleteSavedSearch(searchId: string): Promise<void> {
  await request('DELETE', `/saved-searches/${id(searchId)}`);
}
