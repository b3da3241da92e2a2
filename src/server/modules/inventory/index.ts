export { type IngestResult, ingestBody } from './ingest.service.js';
export { agentCompatRoutes, inventoryRoutes } from './inventory.routes.js';
