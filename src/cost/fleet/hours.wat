;; The fleet policies' hour passes (autoscale.ts, hybrid.ts, fixed.ts, bins.ts) as WebAssembly:
;; the same operations in the same order on the same doubles as their JavaScript loops, so the
;; same bits (test/cost/hours-wasm.test.ts pins every output to those loops). Assembled into
;; hours-wasm.ts by write-hours-wasm.ts (`npm run tables`); edit this file, not that one.
;;
;; Every array is a byte offset into the imported memory: the trial's demand kernel's, where the
;; hourly path and need are, and the fleet's hour arrays and scratch beside them (kernel.ts).
;; Month sums are kept per month in an inner loop over the month's hours (a month-end test on
;; every hour cost a tenth of the pass).
(module
  (import "env" "memory" (memory 1))

  ;; autoscale(need, path, prov, monthProv, acc, H, hpm, lag, first, invKt, minR, maxR, step, K, Kraw):
  ;; autoscale.ts `provision` then `autoscaleHours`, in one loop. Hour h gets what hour h - lag
  ;; wanted (the first `lag` hours: `first`, what hour 0 wants), into prov[h]; want(n) = ⌈n·invKt⌉,
  ;; at least minR, rounded up to whole steps, at most maxR. Then: the cold starts (each rise;
  ;; the first hour's is 0, as prov[0] = first), the peak, the demand served (up to prov·Kraw),
  ;; the violation hours (need > prov·K) into acc[0..4); each month's replica-hours into monthProv.
  (func (export "autoscale") (param $need i32) (param $path i32) (param $prov i32) (param $mp i32)
        (param $acc i32) (param $H i32) (param $hpm i32) (param $lag i32) (param $first f64)
        (param $invKt f64) (param $minR f64) (param $maxR f64) (param $step f64) (param $K f64)
        (param $Kraw f64)
    (local $h i32) (local $end i32) (local $lagB i32) (local $p f64) (local $prev f64)
    (local $inc f64) (local $cold f64) (local $peak f64) (local $served f64) (local $viol f64)
    (local $month f64) (local $d f64) (local $cap f64) (local $w f64)
    (local.set $prev (local.get $first))
    (local.set $lagB (i32.shl (local.get $lag) (i32.const 3)))
    (loop $months
      (local.set $end (i32.add (local.get $h) (local.get $hpm)))
      (if (i32.gt_s (local.get $end) (local.get $H)) (then (local.set $end (local.get $H))))
      (local.set $month (f64.const 0))
      (if (i32.lt_s (local.get $h) (local.get $end))
        (then
          (loop $hour
            (if (i32.lt_s (local.get $h) (local.get $lag))
              (then (local.set $p (local.get $first)))
              (else
                (local.set $w (f64.ceil (f64.mul
                  (f64.load (i32.sub (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3))) (local.get $lagB)))
                  (local.get $invKt))))
                (local.set $w (select (local.get $minR) (local.get $w) (f64.lt (local.get $w) (local.get $minR))))
                (if (f64.ne (local.get $step) (f64.const 1))
                  (then (local.set $w (f64.mul (f64.ceil (f64.div (local.get $w) (local.get $step))) (local.get $step)))))
                (local.set $p (select (local.get $maxR) (local.get $w) (f64.gt (local.get $w) (local.get $maxR))))))
            (f64.store (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3))) (local.get $p))
            ;; cold starts: (x + |x|)/2, exact for these whole numbers
            (local.set $inc (f64.sub (local.get $p) (local.get $prev)))
            (local.set $cold (f64.add (local.get $cold) (f64.mul (f64.add (local.get $inc) (f64.abs (local.get $inc))) (f64.const 0.5))))
            (local.set $prev (local.get $p))
            (local.set $peak (select (local.get $p) (local.get $peak) (f64.gt (local.get $p) (local.get $peak))))
            (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
            (local.set $cap (f64.mul (local.get $p) (local.get $Kraw)))
            (local.set $viol (f64.add (local.get $viol)
              (f64.convert_i32_u (f64.gt
                (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3))))
                (f64.mul (local.get $p) (local.get $K))))))
            (local.set $served (f64.add (local.get $served)
              (select (local.get $d) (local.get $cap) (f64.lt (local.get $d) (local.get $cap)))))
            (local.set $month (f64.add (local.get $month) (local.get $p)))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br_if $hour (i32.lt_s (local.get $h) (local.get $end))))))
      (f64.store (local.get $mp) (local.get $month))
      (local.set $mp (i32.add (local.get $mp) (i32.const 8)))
      (br_if $months (i32.lt_s (local.get $h) (local.get $H))))
    (f64.store (local.get $acc) (local.get $cold))
    (f64.store offset=8 (local.get $acc) (local.get $peak))
    (f64.store offset=16 (local.get $acc) (local.get $served))
    (f64.store offset=24 (local.get $acc) (local.get $viol)))

  ;; hybrid(path, mo, acc, H, hpm, capB): hybrid.ts `hybridHours`. Each hour serves up to capB
  ;; and overflows the rest; each month's overflow (Neumaier-compensated, in hour order) into
  ;; mo; the demand served and the hours with overflow into acc[0..2).
  (func (export "hybrid") (param $path i32) (param $mo i32) (param $acc i32) (param $H i32)
        (param $hpm i32) (param $capB f64)
    (local $h i32) (local $end i32) (local $d f64) (local $x f64) (local $over f64) (local $t f64)
    (local $mOver f64) (local $comp f64) (local $served f64) (local $overHours f64)
    (loop $months
      (local.set $end (i32.add (local.get $h) (local.get $hpm)))
      (if (i32.gt_s (local.get $end) (local.get $H)) (then (local.set $end (local.get $H))))
      (local.set $mOver (f64.const 0))
      (local.set $comp (f64.const 0))
      (if (i32.lt_s (local.get $h) (local.get $end))
        (then
          (loop $hour
            (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
            (local.set $x (f64.sub (local.get $d) (local.get $capB)))
            (local.set $over (select (local.get $x) (f64.const 0) (f64.gt (local.get $x) (f64.const 0))))
            (local.set $overHours (f64.add (local.get $overHours) (f64.convert_i32_u (f64.gt (local.get $d) (local.get $capB)))))
            (local.set $t (f64.add (local.get $mOver) (local.get $over)))
            (local.set $comp (f64.add (local.get $comp)
              (select
                (f64.add (f64.sub (local.get $mOver) (local.get $t)) (local.get $over))
                (f64.add (f64.sub (local.get $over) (local.get $t)) (local.get $mOver))
                (f64.ge (local.get $mOver) (local.get $over)))))
            (local.set $mOver (local.get $t))
            (local.set $served (f64.add (local.get $served) (f64.sub (local.get $d) (local.get $over))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br_if $hour (i32.lt_s (local.get $h) (local.get $end))))))
      (f64.store (local.get $mo) (f64.add (local.get $mOver) (local.get $comp)))
      (local.set $mo (i32.add (local.get $mo) (i32.const 8)))
      (br_if $months (i32.lt_s (local.get $h) (local.get $H))))
    (f64.store (local.get $acc) (local.get $served))
    (f64.store offset=8 (local.get $acc) (local.get $overHours)))

  ;; fixed(path, need, acc, H, capSlo, capRaw): fixed.ts `fixedHours`: the demand served (up to
  ;; capRaw an hour, in hour order) and the hours whose need exceeds capSlo, into acc[0..2).
  (func (export "fixed") (param $path i32) (param $need i32) (param $acc i32) (param $H i32)
        (param $capSlo f64) (param $capRaw f64)
    (local $h i32) (local $d f64) (local $served f64) (local $viol f64)
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $viol (f64.add (local.get $viol)
            (f64.convert_i32_u (f64.gt (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))) (local.get $capSlo)))))
          (local.set $served (f64.add (local.get $served)
            (select (local.get $d) (local.get $capRaw) (f64.lt (local.get $d) (local.get $capRaw)))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H))))))
    (f64.store (local.get $acc) (local.get $served))
    (f64.store offset=8 (local.get $acc) (local.get $viol)))

  ;; above(need, H, cap): fixed.ts `hoursAbove`: the hours whose need exceeds cap.
  (func (export "above") (param $need i32) (param $H i32) (param $cap f64) (result f64)
    (local $h i32) (local $n f64)
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $n (f64.add (local.get $n)
            (f64.convert_i32_u (f64.gt (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))) (local.get $cap)))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H))))))
    (local.get $n))

  ;; histogram(path, count, sum, out, hours, min, inv, nb): bins.ts `histogram`. count and sum
  ;; (nb doubles each) are zeroed, then each hour's demand d goes to bin ⌊(d − min)·inv⌋ (the
  ;; last bin at most): its count and its sum in hour order; out[0] = the demand summed in hour
  ;; order, out[1] = the largest (−∞ for no hours). The bin index is JavaScript's `| 0` of
  ;; (d − min)·inv wherever that is below 2^31 in size, as it is for d in the path's own [min, max].
  (func (export "histogram") (param $path i32) (param $count i32) (param $sum i32) (param $out i32)
        (param $hours i32) (param $min f64) (param $inv f64) (param $nb i32)
    (local $h i32) (local $b i32) (local $at i32) (local $d f64) (local $x f64) (local $total f64) (local $top f64)
    (memory.fill (local.get $count) (i32.const 0) (i32.shl (local.get $nb) (i32.const 3)))
    (memory.fill (local.get $sum) (i32.const 0) (i32.shl (local.get $nb) (i32.const 3)))
    (local.set $top (f64.const -inf))
    (if (i32.gt_s (local.get $hours) (i32.const 0))
      (then
        (loop $hour
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          ;; JavaScript's `| 0`: 0 for NaN and ±∞ (a range too narrow for a double's bin width)
          (local.set $x (f64.mul (f64.sub (local.get $d) (local.get $min)) (local.get $inv)))
          (local.set $b (select (i32.trunc_sat_f64_s (local.get $x)) (i32.const 0)
                                (f64.lt (f64.abs (local.get $x)) (f64.const 2147483648))))
          (if (i32.ge_s (local.get $b) (local.get $nb)) (then (local.set $b (i32.sub (local.get $nb) (i32.const 1)))))
          ;; a bin below the first is no bin (JavaScript's store to a negative index does nothing)
          (if (i32.ge_s (local.get $b) (i32.const 0))
            (then
              (local.set $at (i32.shl (local.get $b) (i32.const 3)))
              (f64.store (i32.add (local.get $count) (local.get $at))
                (f64.add (f64.load (i32.add (local.get $count) (local.get $at))) (f64.const 1)))
              (f64.store (i32.add (local.get $sum) (local.get $at))
                (f64.add (f64.load (i32.add (local.get $sum) (local.get $at))) (local.get $d)))))
          (local.set $total (f64.add (local.get $total) (local.get $d)))
          (if (f64.gt (local.get $d) (local.get $top)) (then (local.set $top (local.get $d))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $hours))))))
    (f64.store (local.get $out) (local.get $total))
    (f64.store offset=8 (local.get $out) (local.get $top)))

  ;; how_per_hour(path, prov, howSum, howCap, H, spr, Kraw): how.ts `howPerHour`. howSum and
  ;; howCap (168 each) are zeroed, then hour h adds to hour of the week h mod 168 the demand
  ;; served (up to prov·spr) and the capacity offered (prov·Kraw).
  (func (export "how_per_hour") (param $path i32) (param $prov i32) (param $hs i32) (param $hc i32)
        (param $H i32) (param $spr f64) (param $Kraw f64)
    (local $h i32) (local $w i32) (local $n f64) (local $d f64) (local $lim f64)
    (memory.fill (local.get $hs) (i32.const 0) (i32.const 1344))
    (memory.fill (local.get $hc) (i32.const 0) (i32.const 1344))
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $n (f64.load (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $lim (f64.mul (local.get $n) (local.get $spr)))
          (f64.store (i32.add (local.get $hs) (local.get $w))
            (f64.add (f64.load (i32.add (local.get $hs) (local.get $w)))
              (select (local.get $d) (local.get $lim) (f64.lt (local.get $d) (local.get $lim)))))
          (f64.store (i32.add (local.get $hc) (local.get $w))
            (f64.add (f64.load (i32.add (local.get $hc) (local.get $w))) (f64.mul (local.get $n) (local.get $Kraw))))
          (local.set $w (i32.add (local.get $w) (i32.const 8)))
          (if (i32.eq (local.get $w) (i32.const 1344)) (then (local.set $w (i32.const 0))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H)))))))

  ;; how_up_to(path, howSum, H, lim): how.ts `howServedUpTo`. howSum (168) is zeroed, then hour
  ;; h adds the demand served (up to lim) to hour of the week h mod 168.
  (func (export "how_up_to") (param $path i32) (param $hs i32) (param $H i32) (param $lim f64)
    (local $h i32) (local $w i32) (local $d f64)
    (memory.fill (local.get $hs) (i32.const 0) (i32.const 1344))
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          (f64.store (i32.add (local.get $hs) (local.get $w))
            (f64.add (f64.load (i32.add (local.get $hs) (local.get $w)))
              (select (local.get $d) (local.get $lim) (f64.lt (local.get $d) (local.get $lim)))))
          (local.set $w (i32.add (local.get $w) (i32.const 8)))
          (if (i32.eq (local.get $w) (i32.const 1344)) (then (local.set $w (i32.const 0))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H)))))))
)
