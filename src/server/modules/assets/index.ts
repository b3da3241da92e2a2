export { assetsRoutes } from './assets.routes.js';
export {
  assetNames,
  changeStatus,
  createAsset,
  findAssetByIdentifier,
  findAssetsByName,
  getAsset,
  listAssets,
  updateAsset,
  writeHistory,
} from './assets.service.js';
export { catalogueRoutes } from './catalogue.routes.js';
export { announceExpiries, EXPIRY_NOTICE_DAYS } from './expiry.jobs.js';
export { importRoutes } from './import.routes.js';
export { locationsRoutes } from './locations.routes.js';
export { impactOf } from './relations.service.js';
