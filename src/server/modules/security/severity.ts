import { SECURITY_SEVERITIES, type SecuritySeverity } from '../../../shared/schemas/security.js';

export type CriticalityLevels = {
  confidentiality: number | null;
  integrity: number | null;
  availability: number | null;
};

/**
 * An incident's severity: the rule's, raised one step when an asset concerned is vital (a level 4 of
 * confidentiality, integrity or availability) and lowered one step when every asset concerned is
 * assessed and none goes above 1. Unassessed assets leave the rule's severity as it is.
 */
export function incidentSeverity(rule: SecuritySeverity, assets: CriticalityLevels[]): SecuritySeverity {
  const levels = assets.map((a) => Math.max(a.confidentiality ?? 0, a.integrity ?? 0, a.availability ?? 0));
  let step = 0;
  if (levels.some((l) => l >= 4)) step = 1;
  else if (levels.length > 0 && levels.every((l) => l === 1)) step = -1;
  const i = SECURITY_SEVERITIES.indexOf(rule) + step;
  return SECURITY_SEVERITIES[Math.max(0, Math.min(SECURITY_SEVERITIES.length - 1, i))]!;
}
