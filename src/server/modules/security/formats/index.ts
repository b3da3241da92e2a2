export {
  MAX_LINE_BYTES,
  newCounters,
  type ParseCounters,
  type RejectReason,
  SECURITY_ACTIONS,
  type SecurityAction,
  type SecurityEvent,
  type SecurityOutcome,
  type SyslogRecord,
} from './event.js';
export { decodeFrame, type FrameSink, FrameSplitter } from './framing.js';
export { normaliseSyslog } from './linux.js';
export { decompressed, type LogFormat, LogParser, type ParserOptions, Reparser, sniff } from './reader.js';
export { parseSyslogLine } from './syslog.js';
export { FUTURE_TOLERANCE_MS, parseBsdStamp, parseIsoStamp, YearInference } from './time.js';
export { parseEvtxXmlEvent, parseJsonLine, WINDOWS_EVENTS } from './windows.js';
