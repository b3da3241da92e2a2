export { searchesRoutes } from './searches.routes.js';
export { listSavedSearches } from './searches.service.js';
