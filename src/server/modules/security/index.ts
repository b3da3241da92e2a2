export {
  type AnalysisOptions,
  type AnalysisSummary,
  analyseFile,
  analyseStream,
  loadRuleSpecs,
} from './analyse.js';
export type { SecurityEvent } from './formats/event.js';
export { BUILTIN_RULES_YAML, builtinRules } from './rules/builtin.js';
export { type Detection, DetectionEngine } from './rules/engine.js';
export { loadRules, type Rule, RuleFileError } from './rules/load.js';
