/**
 * The fleet-economics conventions in words, from the module that applies them: the report's
 * methodology renders this list, and test/cost/fleet.test.ts checks that README states each.
 */
export const FLEET_CONVENTIONS: readonly { topic: string; text: string }[] = [
  {
    topic: 'SLO attainment',
    text: 'An hour meets the SLO when its busiest minute fits the capacity the fleet has at the TTFT/TPOT targets. A trial counts as "self-hosting cheaper" only if the option costs less than the API and meets the SLO in at least the target share of hours (self_hosted.slo.attainment, default 99 %); the API is assumed to meet it every hour. Hybrid fleets send what the base cannot serve in time to the API and pay for it, so they always meet it.',
  },
  {
    topic: 'Capacity need',
    text: 'Every policy judges capacity against the same need: the busiest minute of each hour (peak_to_mean × hourly demand, or the Poisson busiest minute). Fixed fleets are sized to the peak_quantile of hourly demand, never below it.',
  },
  {
    topic: 'Retries',
    text: 'Retries (api_pricing.retry_overhead) load the fleet as they load the API: each request costs 1 + retry_overhead calls on either side.',
  },
  {
    topic: 'Rented GPUs',
    text: 'On-demand and spot rates follow self_hosted.gpu_price_decline_annual month by month (as API prices follow price_decline_annual); autoscaled fleets pay the replica-hours they provision, plus GPU time for cold starts.',
  },
  {
    topic: 'Reserved',
    text: 'A reservation commits to the fleet\'s peak for whole terms at the rate fixed when committing (no decline); a term that does not divide the horizon is paid in full, never pro-rated (the run warns). Cash is spread evenly over the horizon.',
  },
  {
    topic: 'Sunk fleet',
    text: 'A fleet you already have (fleet.policy existing) counts none of its capex or reservation: it is sunk. Only power (owned hardware, around the clock while it lasts), operations and what it cannot serve within the SLO are paid: the rest of the calls at API prices, or GPUs of the same kind rented by the hour without lag. After until_month everything overflows.',
  },
  {
    topic: 'Routing',
    text: 'A routing option serves its share of every hour (self_hosted.options[].routing.share) with the small model on its own fleet, sized for that share, and sends the rest to the API; its cost is both together, and its break-even is on total volume (the fleet against the API spend of its share). The quality of the small model on the routed share is an assumption stated in the workload and shown with the answer, not modelled.',
  },
  {
    topic: 'Deferred batch share',
    text: 'With self_hosted.batch_share: deferred, every fleet is sized and judged against the SLO on the interactive calls only (1 − batch_share of each hour); the batch share waits first-in-first-out for the capacity they leave free, served at full batch (no TPOT target) within the API\'s batch window (24 h unless the catalog says otherwise), and what misses the window goes to the API at the standard price, counted and shown. Deferred calls never add replicas: an autoscaled fleet or a hybrid base follows the interactive need, and an existing fleet serves them on its own GPUs only. The API side bills the batch share at batch prices either way.',
  },
  {
    topic: 'Owned',
    text: 'Cost counts the horizon\'s share of depreciation of the peak fleet (capex × (1 − residual) over amortisation_months) plus power while provisioned. Payback and the cumulative chart are cash: the capex of the peak fleet is paid in month 0, then power and operations; payback is the month the API spend avoided covers it. Rented fleets have no set-up cost and no payback month.',
  },
];
