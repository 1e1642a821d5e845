/**
 * "Use my location": one GPS fix from the browser. The Geolocation API gives WGS-84, the
 * coordinates the API takes, so no GCJ-02 conversion is needed (that is only for positions read
 * off Chinese web maps).
 */
import type { LonLat } from '../lib/types.ts';
import type { MessageKey } from './i18n.ts';

export class LocateError extends Error {
  constructor(readonly messageKey: MessageKey) {
    super(messageKey);
  }
}

export function locate(): Promise<{ position: LonLat; accuracyM: number }> {
  // Browsers only offer geolocation to secure origins: plain http on an office network is refused.
  if (!window.isSecureContext) return Promise.reject(new LocateError('geo.insecure'));
  if (!('geolocation' in navigator)) return Promise.reject(new LocateError('geo.unsupported'));
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          position: [pos.coords.longitude, pos.coords.latitude],
          accuracyM: Math.round(pos.coords.accuracy),
        }),
      (err) =>
        reject(
          new LocateError(
            err.code === err.PERMISSION_DENIED
              ? 'geo.denied'
              : err.code === err.TIMEOUT
                ? 'geo.timeout'
                : 'geo.unavailable',
          ),
        ),
      // A fix up to a minute old is fine for a report; waiting longer than 15 s is not.
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}
