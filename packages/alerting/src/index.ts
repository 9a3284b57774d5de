export type { Alert } from './alert.js';
export type { AlertSink } from './alertSink.js';
export type { AlertSeverity } from './severity.js';
export type { AlertingErrorCode, AlertingErrorOptions } from './alertingError.js';
export type { CreateAlertOptions } from './createAlert.js';
export type {
  AlertDispatcherOptions,
  DispatcherEvents,
  DispatcherStats,
  DropReason,
  RecentAlertsQuery,
  SinkStats,
} from './dispatcherTypes.js';
export type { MemorySinkOptions } from './memorySink.js';
export type { ConsoleSinkOptions, LineWriter } from './consoleSink.js';
export type { FileSinkOptions } from './fileSink.js';
export type { WebhookSinkOptions } from './webhookSink.js';
export type { BackoffOptions } from './backoff.js';
export type { SyslogFacility, SyslogFormatOptions } from './formatSyslog.js';
export type { SyslogProtocol, SyslogSinkOptions, SyslogTlsOptions } from './syslogSink.js';
export type { AlertingConfig } from './createSinksFromConfig.js';
export type { AlertFormat, JsonAlertFormat } from './formats/alertFormat.js';
export type { EcsDocument, EcsOptions } from './formats/toEcsDocument.js';
export type { OcsfEvent, OcsfOptions } from './formats/toOcsfFinding.js';

export { AlertingError, isAlertingError } from './alertingError.js';
export { ALERT_SEVERITIES, severityFromScore, severityRank, isAlertSeverity } from './severity.js';
export { createAlert } from './createAlert.js';
export { AlertDispatcher } from './alertDispatcher.js';
export { MemorySink } from './memorySink.js';
export { ConsoleSink, formatConsoleLine } from './consoleSink.js';
export { FileSink } from './fileSink.js';
export { WebhookSink } from './webhookSink.js';
export { Backoff, sleep } from './backoff.js';
export { signWebhookPayload, verifyWebhookSignature } from './signWebhookPayload.js';
export { SyslogSink } from './syslogSink.js';
export { formatSyslogMessage, formatAlertText, escapeSdValue, syslogFacilityCode, syslogSeverity } from './formatSyslog.js';
export { createSinksFromConfig } from './createSinksFromConfig.js';
export { ALERT_FORMATS } from './formats/alertFormat.js';
export { toEcsDocument, ECS_VERSION } from './formats/toEcsDocument.js';
export { toOcsfFinding, OCSF_VERSION } from './formats/toOcsfFinding.js';
export { formatCefMessage, escapeCefHeader, escapeCefExtension } from './formats/formatCef.js';
export { renderAlertJson } from './formats/renderAlertJson.js';
