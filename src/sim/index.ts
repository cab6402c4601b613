/**
 * The simulator, end to end:
 *
 *   load (config) → validate (schema, references) → compile plan → sample + simulate
 *   (engine: trials × hours, every option on the same trial) → resultFromTrials → report
 *
 * `simulate` runs the middle three; loading and reporting are the caller's.
 */
import type { LoadedWorkload } from '../config/index.js';
import { compilePlan, type Plan } from './plan.js';
import { runEngine, type EngineOptions } from './engine.js';
import { resultFromTrials, earlySummary } from './summarise.js';
export { throughputCurves } from './summarise.js';
import { OPTION_METRICS } from './trial.js';
import type { SimulationResult, EarlySummary, TrialTable } from './result.js';

export { RESULT_SCHEMA_VERSION } from './result.js';
export type { SimulationResult, EarlySummary, TrialTable } from './result.js';
export { AbortedError } from './engine.js';
export { compilePlan } from './plan.js';
export type { Plan, OptionPlan } from './plan.js';

export type { EngineOptions } from './engine.js';

export interface SimulatePlanOptions extends EngineOptions {
  /**
   * called when the trials are done, before the rest is summarised, with the early summary
   * (what every chart but the tornado reads: the CLI draws those charts meanwhile, in its
   * render process)
   */
  onTrialsDone?: (early: EarlySummary) => void;
}

export interface SimulateOptions extends SimulatePlanOptions {
  trials?: number;
  seed?: number;
  /** called with the compiled plan before the trials run (the CLI draws the charts that depend on the plan alone meanwhile) */
  onPlan?: (plan: Plan) => void;
}

export async function simulate(loaded: LoadedWorkload, opts: SimulateOptions = {}): Promise<{ result: SimulationResult; trials: TrialTable }> {
  const planOpts: { trials?: number; seed?: number } = {};
  if (opts.trials !== undefined) planOpts.trials = opts.trials;
  if (opts.seed !== undefined) planOpts.seed = opts.seed;
  const plan = compilePlan(loaded, planOpts);
  opts.onPlan?.(plan);
  return simulatePlan(plan, opts);
}

/**
 * Run and summarise an already compiled plan (the hook `plan` uses to simulate many
 * generated candidates as options of one plan, so they share every trial's draws and traffic
 * path). Cost: one engine run, O(trials × (hours + options × hours)).
 */
export async function simulatePlan(plan: Plan, opts: SimulatePlanOptions = {}): Promise<{ result: SimulationResult; trials: TrialTable }> {
  const out = await runEngine(plan, opts);
  const early = earlySummary(out);
  if (opts.onTrialsDone) {
    opts.onTrialsDone(early);
    // let what it started go out (a renderer's message is sent from a promise's continuation)
    // before this thread is busy summarising
    await new Promise<void>((r) => setImmediate(r));
  }
  const result = resultFromTrials(out, early);
  const trials: TrialTable = {
    trials: plan.trials,
    options: plan.options.map((o) => o.id),
    metrics: [...OPTION_METRICS],
    data: out.metrics,
  };
  return { result, trials };
}
