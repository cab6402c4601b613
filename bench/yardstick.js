// The yardstick of `npm run bench`: a plain single-thread loop over the bench scenario's shape
// (workloads/bench.yaml: 8,760 hours; three fleets — fixed, autoscaled, hybrid with API
// overflow — against the API), written the obvious way: Math.random, one pass per trial and
// hour, no search for the break-even volume, no summaries, no report. The real command does
// much more per trial; the target is that it still finishes at least 2.5x faster than this
// loop does, on the same machine in the same bench run.
//   node bench/yardstick.js <trials>   prints one JSON line { trials, wall_s }
const trials = Number(process.argv[2] ?? 10000);
const HOURS = 8760;
const DAILY = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 19 ? 1.6 : 0.5));
const WEEKLY = [1.15, 1.15, 1.15, 1.15, 1.1, 0.6, 0.7];
const normal = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

const t0 = process.hrtime.bigint();
const savings = new Float64Array(trials * 3);
for (let t = 0; t < trials; t++) {
  const callsPerHour = (25000 + 20000 * Math.random()) / 24;
  const tokensPerCall = 1500 + 350;
  const pricePerToken = (2.5 * 1500 + 10 * 350) / 1e6 / tokensPerCall;
  const capacity = 3600 * (1 + 2 * Math.random()); // calls per replica-hour (1-3 calls/s)
  const cv = 0.15 + 0.2 * Math.random();
  const growth = 0.03 * Math.random();
  const gpuHour = 2.5 * 4; // $/replica-hour: 4 GPUs at $2.50
  const growthPerHour = (1 + growth) ** (1 / 730);
  let trend = 1;
  let noise = 0;
  let api = 0;
  let peak = 0;
  const demand = new Float64Array(HOURS);
  for (let h = 0; h < HOURS; h++) {
    noise = 0.6 * noise + 0.8 * normal();
    const d = Math.max(0, callsPerHour * DAILY[h % 24] * WEEKLY[Math.floor(h / 24) % 7] * trend * (1 + cv * noise));
    trend *= growthPerHour;
    demand[h] = d;
    api += d * tokensPerCall * pricePerToken;
    if (d > peak) peak = d;
  }
  const fixedReplicas = Math.ceil(peak / capacity);
  let fixed = 0;
  let auto = 0;
  let hybrid = 0;
  let prev = 1;
  for (let h = 0; h < HOURS; h++) {
    const d = demand[h];
    fixed += fixedReplicas * gpuHour;
    const need = Math.max(1, Math.ceil(d / capacity));
    auto += Math.max(need, prev) * gpuHour;
    prev = need;
    const base = Math.ceil(fixedReplicas / 2);
    hybrid += base * gpuHour + Math.max(0, d - base * capacity) * tokensPerCall * pricePerToken;
  }
  savings[t * 3] = api - fixed;
  savings[t * 3 + 1] = api - auto;
  savings[t * 3 + 2] = api - hybrid;
}
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
let s = 0;
for (let i = 0; i < savings.length; i++) s += savings[i] > 0 ? 1 : 0;
process.stdout.write(`${JSON.stringify({ trials, wall_s: Number(wall.toFixed(3)), share_cheaper: s / savings.length })}\n`);
