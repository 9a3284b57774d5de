import type { AlertingConfig } from '@beacon/alerting';
import type { BeaconConfig } from '@beacon/config';

/** The config file's `alerting` section in the shape `createSinksFromConfig` of `@beacon/alerting` reads. */
export function alertingConfig(a: BeaconConfig['alerting']): AlertingConfig {
  const { webhook, syslog, ...rest } = a;
  const out: AlertingConfig = {
    ...rest,
    syslog: syslog as AlertingConfig['syslog'],
    webhook: { enabled: webhook.enabled, url: webhook.url, headers: webhook.headers, timeout: webhook.timeout, retries: webhook.retries, format: webhook.format },
  };
  if (webhook.secret !== null) out.webhook!.secret = webhook.secret;
  return out;
}
