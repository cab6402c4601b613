const config = await import('../dist/config/index.js');
const { compilePlan } = await import('../dist/sim/index.js');
const loaded = config.loadWorkload(config.defaultWorkloadPath());
let t = performance.now(); compilePlan(loaded, {}); console.log('first', (performance.now()-t).toFixed(1));
t = performance.now(); for (let i=0;i<20;i++) compilePlan(loaded, {}); console.log('warm', ((performance.now()-t)/20).toFixed(1));
