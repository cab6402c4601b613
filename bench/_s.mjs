const config = await import('../dist/config/index.js');
const { compilePlan } = await import('../dist/sim/index.js');
const { runEngine } = await import('../dist/sim/engine.js');
const { resultFromTrials } = await import('../dist/sim/summarise.js');
const plan = compilePlan(config.loadWorkload(config.defaultWorkloadPath()), {});
const out = await runEngine(plan, { workers: 1 });
let t = performance.now(); resultFromTrials(out); console.log('first', (performance.now()-t).toFixed(1));
t = performance.now(); for (let i=0;i<10;i++) resultFromTrials(out); console.log('warm', ((performance.now()-t)/10).toFixed(1));
