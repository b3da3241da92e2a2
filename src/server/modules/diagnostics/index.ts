export { diagnosticsRoutes } from './diagnostics.routes.js';
export { getTree, walkTree } from './diagnostics.service.js';
