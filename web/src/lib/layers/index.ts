/** The map's layers: see registry.ts, which holds each layer's builder and click behaviour. */
export { buildLayers, type MapData } from './registry.ts';
