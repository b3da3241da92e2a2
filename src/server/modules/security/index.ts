export { securityJobs, signBody } from './alerts.service.js';
export {
  type AnalysisOptions,
  type AnalysisSummary,
  analyseFile,
  analyseStream,
  loadRuleSpecs,
} from './analyse.js';
export type { SecurityEvent } from './formats/event.js';
export { type ImportSummary, importFile } from './import.js';
export { type IngestTarget, SecurityPipeline } from './pipeline.js';
export { BUILTIN_RULES_YAML, builtinRules } from './rules/builtin.js';
export { type Detection, DetectionEngine } from './rules/engine.js';
export { loadRules, type Rule, RuleFileError } from './rules/load.js';
export { orgRules } from './rules.service.js';
export { securityRoutes } from './security.routes.js';
export { acquirePipeline, releasePipeline } from './service.js';
export { type SecuritySummary, securitySummary } from './summary.service.js';
export { type SyslogListener, startSyslogListener } from './syslog.js';
