export { disposalRoutes } from './disposal.routes.js';
