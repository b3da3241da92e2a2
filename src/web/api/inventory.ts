import { z } from 'zod';
import { zPage } from '../../shared/schemas/common.js';
import {
  type RULE_KINDS,
  ZDevice,
  ZDeviceDetail,
  ZEnrolmentToken,
  ZEnrolmentTokenCreated,
  ZFleetStats,
  ZInstallation,
  ZInstalledSoftware,
  ZInventoryError,
  ZInventoryRule,
  ZSoftware,
  ZSoftwareDetail,
} from '../../shared/schemas/inventory.js';
import { request } from './client.js';

export type Device = z.infer<typeof ZDevice>;
export type DeviceDetail = z.infer<typeof ZDeviceDetail>;
export type InventoryError = z.infer<typeof ZInventoryError>;
export type FleetStats = z.infer<typeof ZFleetStats>;
export type EnrolmentToken = z.infer<typeof ZEnrolmentToken>;
export type EnrolmentTokenCreated = z.infer<typeof ZEnrolmentTokenCreated>;
export type InventoryRule = z.infer<typeof ZInventoryRule>;
export type RuleKind = (typeof RULE_KINDS)[number];
export type Software = z.infer<typeof ZSoftware>;
export type SoftwareDetail = z.infer<typeof ZSoftwareDetail>;
export type Installation = z.infer<typeof ZInstallation>;
export type InstalledSoftware = z.infer<typeof ZInstalledSoftware>;

export type DeviceQuery = {
  orgId?: string | undefined;
  pending?: boolean | undefined;
  silentDays?: number | undefined;
  agent?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};

const ZDevicePage = zPage(ZDevice);
const ZErrorPage = zPage(ZInventoryError);
const ZTokenPage = zPage(ZEnrolmentToken);
const ZSoftwarePage = zPage(ZSoftware);
const ZInstallationPage = zPage(ZInstallation);
const ZRules = z.object({ items: z.array(ZInventoryRule) });
const ZAssetDevice = z.object({ device: ZDeviceDetail.nullable() });
const ZAssetSoftware = z.object({ items: z.array(ZInstalledSoftware) });

const id = (value: string) => encodeURIComponent(value);

// Devices: the fleet as the agents report it, last contact first.
export async function listDevices(query: DeviceQuery) {
  const { pending, ...rest } = query;
  return (
    await request('GET', '/inventory/devices', {
      query: { limit: 50, ...rest, pending: pending === undefined ? undefined : String(pending) },
      schema: ZDevicePage,
    })
  ).data;
}
export async function getDevice(deviceId: string): Promise<DeviceDetail> {
  return (await request('GET', `/inventory/devices/${id(deviceId)}`, { schema: ZDeviceDetail })).data;
}
/** Files a waiting device into an organisation (global administrators). */
export async function validateDevice(deviceId: string, orgId: string): Promise<Device> {
  return (
    await request('POST', `/inventory/devices/${id(deviceId)}/validate`, { body: { orgId }, schema: ZDevice })
  ).data;
}
/** Refuses a waiting device: it is forgotten until it reports again. */
export async function rejectDevice(deviceId: string): Promise<void> {
  await request('DELETE', `/inventory/devices/${id(deviceId)}`);
}
export async function listInventoryErrors(query: {
  orgId?: string | undefined;
  cursor?: string | undefined;
}) {
  return (await request('GET', '/inventory/errors', { query: { limit: 50, ...query }, schema: ZErrorPage }))
    .data;
}
export async function getFleetStats(query: {
  orgId?: string | undefined;
  silentDays?: number | undefined;
}): Promise<FleetStats> {
  return (await request('GET', '/inventory/stats', { query, schema: ZFleetStats })).data;
}

// Enrolment: tokens the agents present, and rules that file a device by address, tag or name.
export async function listEnrolmentTokens(query: {
  orgId?: string | undefined;
  cursor?: string | undefined;
}) {
  return (await request('GET', '/inventory/tokens', { query: { limit: 50, ...query }, schema: ZTokenPage }))
    .data;
}
/** The answer carries the clear token: the only time it is shown. */
export async function createEnrolmentToken(input: {
  orgId: string;
  name: string;
}): Promise<EnrolmentTokenCreated> {
  return (await request('POST', '/inventory/tokens', { body: input, schema: ZEnrolmentTokenCreated })).data;
}
export async function revokeEnrolmentToken(tokenId: string): Promise<void> {
  await request('DELETE', `/inventory/tokens/${id(tokenId)}`);
}
export async function listInventoryRules(): Promise<InventoryRule[]> {
  return (await request('GET', '/inventory/rules', { schema: ZRules })).data.items;
}
export async function createInventoryRule(input: {
  orgId: string;
  kind: RuleKind;
  pattern: string;
  priority: number;
}): Promise<InventoryRule> {
  return (await request('POST', '/inventory/rules', { body: input, schema: ZInventoryRule })).data;
}
export async function deleteInventoryRule(ruleId: string): Promise<void> {
  await request('DELETE', `/inventory/rules/${id(ruleId)}`);
}

// Software: the catalogue built from the inventories, and where each version is installed.
export async function listSoftware(query: {
  orgId?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
}) {
  return (await request('GET', '/software', { query: { limit: 50, ...query }, schema: ZSoftwarePage })).data;
}
export async function getSoftware(softwareId: string): Promise<SoftwareDetail> {
  return (await request('GET', `/software/${id(softwareId)}`, { schema: ZSoftwareDetail })).data;
}
export async function listInstallations(versionId: string, cursor?: string) {
  return (
    await request('GET', `/software/versions/${id(versionId)}/installations`, {
      query: { limit: 50, cursor },
      schema: ZInstallationPage,
    })
  ).data;
}

// An asset's side: the device it was inventoried from, and what is installed on it.
export async function getAssetInventory(assetId: string): Promise<DeviceDetail | null> {
  return (await request('GET', `/assets/${id(assetId)}/inventory`, { schema: ZAssetDevice })).data.device;
}
export async function listAssetSoftware(assetId: string): Promise<InstalledSoftware[]> {
  return (await request('GET', `/assets/${id(assetId)}/software`, { schema: ZAssetSoftware })).data.items;
}
