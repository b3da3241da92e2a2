export { accountRoutes } from './account.routes.js';
export { createToken, LOGIN_RATE, login } from './account.service.js';
