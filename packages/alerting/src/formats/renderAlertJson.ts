import type { Alert } from '../alert.js';
import type { JsonAlertFormat } from './alertFormat.js';
import { toEcsDocument } from './toEcsDocument.js';
import { toOcsfFinding } from './toOcsfFinding.js';

/**
 * The JSON text a file or webhook sink writes for an alert in `format`: the alert itself
 * (`beacon`), its ECS document or its OCSF Detection Finding.
 * @example
 * fs.appendFileSync('alerts.ecs.json', `${renderAlertJson(alert, 'ecs')}\n`);
 */
export function renderAlertJson(alert: Alert, format: JsonAlertFormat, options: { hostname?: string } = {}): string {
  switch (format) {
    case 'ecs':
      return JSON.stringify(toEcsDocument(alert, options));
    case 'ocsf':
      return JSON.stringify(toOcsfFinding(alert, options));
    default:
      return JSON.stringify(alert);
  }
}
