export {
  createGroup,
  deleteGroup,
  findGroupInOrg,
  getGroup,
  groupIdsOfUser,
  listGroups,
  updateGroup,
} from './groups.service.js';
export {
  createOrganisation,
  findHomeOrganisation,
  getOrganisation,
  listOrganisations,
  nextReference,
  type OrganisationInput,
  updateOrganisation,
} from './organisations.service.js';
export { orgsRoutes } from './orgs.routes.js';
export { loadPrincipal } from './principal.js';
export {
  type Contact,
  contactsOf,
  countUsers,
  createUser,
  findUserIdByEmail,
  getUser,
  getUserForLogin,
  listUsers,
  membersOf,
  resetUserPassword,
  setUserRoles,
  type UserCreateInput,
  updateUser,
  userDisplayNames,
} from './users.service.js';
