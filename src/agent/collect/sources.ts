import si from 'systeminformation';
import { once } from '../util.js';

/**
 * The systeminformation calls of one inventory, each made once and shared by the sections that need
 * it (the system's serial feeds both `bios` and `hardware`).
 */
export function createSources() {
  return {
    system: once(() => si.system()),
    bios: once(() => si.bios()),
    baseboard: once(() => si.baseboard()),
    chassis: once(() => si.chassis()),
    cpu: once(() => si.cpu()),
    mem: once(() => si.mem()),
    memLayout: once(() => si.memLayout()),
    diskLayout: once(() => si.diskLayout()),
    networkInterfaces: once(async () => {
      const list = await si.networkInterfaces();
      return Array.isArray(list) ? list : [list];
    }),
    gateway: once(() => si.networkGatewayDefault()),
    osInfo: once(() => si.osInfo()),
    users: once(() => si.users()),
  };
}

export type Sources = ReturnType<typeof createSources>;

/** Everything a collector gets: the shared calls, the platform and its time limit. */
export type CollectContext = {
  sources: Sources;
  platform: NodeJS.Platform;
  /** The section's time limit, also given to the commands it runs. */
  timeoutMs: number;
};

/** The value, or undefined when the call fails: for secondary details of a section. */
export async function optional<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}
