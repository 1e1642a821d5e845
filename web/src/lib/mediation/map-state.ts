/** The three layers' fresh data after a write in the 调解与服务 tab (see map-data.ts). */
import { mediationApi, servicePointsApi } from './api.ts';
import { FreshData } from './map-data.ts';

export const mediationMapData = new FreshData((area: number | null, signal?: AbortSignal) =>
  mediationApi.map(area, signal),
);
export const servicePointsMapData = new FreshData((_q: 'all', signal?: AbortSignal) =>
  servicePointsApi.list({}, signal),
);
export const enforcementMapData = new FreshData((area: number | null, signal?: AbortSignal) =>
  servicePointsApi.visitMap(area, signal),
);
