export { assetsRoutes } from './assets.routes.js';
export {
  assetNames,
  changeStatus,
  createAsset,
  createAssets,
  findAssetByIdentifier,
  findAssetsByName,
  getAsset,
  listAssets,
  type NewAsset,
  updateAsset,
  writeHistory,
} from './assets.service.js';
export { catalogueRoutes } from './catalogue.routes.js';
export { findModel, findSupplier, listAssetTypes } from './catalogue.service.js';
export { assetCriticality, type Criticality, setAssetCriticality } from './criticality.service.js';
export { announceExpiries, EXPIRY_NOTICE_DAYS } from './expiry.jobs.js';
export { importRoutes } from './import.routes.js';
export { locationsRoutes } from './locations.routes.js';
export { getLocation } from './locations.service.js';
export { impactOf } from './relations.service.js';
