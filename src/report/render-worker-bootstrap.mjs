// Render worker entry when running from TypeScript sources (tests, tsx): Node 20 workers
// cannot load .ts, so register tsx in this thread first, then load the real worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./render-worker.ts', import.meta.url).href);
