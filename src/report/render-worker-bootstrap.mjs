// Render process entry when running from TypeScript sources (tests, tsx): Node 20 cannot load
// .ts by itself, so register tsx in this process first, then load the real renderer.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./render-worker.ts', import.meta.url).href);
