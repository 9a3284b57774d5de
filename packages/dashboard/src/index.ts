export { dashboardAssets, DASHBOARD_BASE } from './dashboardAssets.js';
export type { DashboardAssets, DashboardFile } from './dashboardAssets.js';
export { renderReport } from './renderReport.js';
export type { ReportData, ReportHistory, ReportRow } from './reportData.js';
export { DashboardError, isDashboardError } from './dashboardError.js';
export type { DashboardErrorCode } from './dashboardError.js';
