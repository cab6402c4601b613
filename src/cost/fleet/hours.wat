;; The fleet policies' hour passes (autoscale.ts, hybrid.ts, fixed.ts, bins.ts) as WebAssembly:
;; the same operations in the same order on the same doubles as their JavaScript loops, so the
;; same bits (test/cost/hours-wasm.test.ts pins every output to those loops). Assembled into
;; hours-wasm.ts by write-hours-wasm.ts (`npm run tables`); edit this file, not that one.
;;
;; Every array is a byte offset into the imported memory: the trial's demand kernel's, where the
;; hourly path and need are, and the fleet's hour arrays and scratch beside them (kernel.ts).
;; Month sums are kept per month in an inner loop over the month's hours (a month-end test on
;; every hour cost a tenth of the pass). Counts of hours (violations, overflow hours) are kept
;; in i32 and converted once: exact, and an f64 count on every hour put a conversion and an
;; add on the loop's longest chain (the hybrid pass ran 1.5x slower).
(module
  (import "env" "memory" (memory 1))

  ;; autoscale(need, path, prov, monthProv, acc, H, hpm, lag, first, invKt, minR, maxR, step, K, Kraw):
  ;; autoscale.ts `provision` then `autoscaleHours`, two hours at a time in f64x2 lanes (2.3x
  ;; faster than one at a time). Hour h gets what hour h - lag wanted (the first `lag` hours:
  ;; `first`, what hour 0 wants), into prov[h]; want(n) = ⌈n·invKt⌉, at least minR, rounded up to
  ;; whole steps, at most maxR (pmax/pmin are the JavaScript's comparisons exactly). Then: the
  ;; cold starts (each rise; the first hour's is 0, as prov[0] = first), the peak, the demand
  ;; served (up to prov·Kraw), the violation hours (need > prov·K) into acc[0..4); each month's
  ;; replica-hours into monthProv. The served demand is added lane by lane in hour order, as the
  ;; JavaScript adds it; replica counts and cold starts are whole numbers (minR, maxR, step and
  ;; `first` are), so their sums in two lanes are exact, the same as in hour order, while a
  ;; month's replica-hours stay below 2^53 (a fleet of 10^13 replicas).
  (func (export "autoscale") (param $need i32) (param $path i32) (param $prov i32) (param $mp i32)
        (param $acc i32) (param $H i32) (param $hpm i32) (param $lag i32) (param $first f64)
        (param $invKt f64) (param $minR f64) (param $maxR f64) (param $step f64) (param $K f64)
        (param $Kraw f64)
    (local $h i32) (local $end i32) (local $lagB i32) (local $p f64) (local $prev f64)
    (local $inc f64) (local $cold f64) (local $peak f64) (local $served f64) (local $viol i32)
    (local $month f64) (local $d f64) (local $cap f64) (local $w f64)
    (local $v v128) (local $pv v128) (local $prevv v128) (local $incv v128) (local $m v128)
    (local $coldv v128) (local $peakv v128) (local $violv v128) (local $monthv v128)
    (local $invKtv v128) (local $minRv v128) (local $maxRv v128) (local $stepv v128) (local $Kv v128) (local $Krawv v128)
    (local.set $invKtv (f64x2.splat (local.get $invKt)))
    (local.set $minRv (f64x2.splat (local.get $minR)))
    (local.set $maxRv (f64x2.splat (local.get $maxR)))
    (local.set $stepv (f64x2.splat (local.get $step)))
    (local.set $Kv (f64x2.splat (local.get $K)))
    (local.set $Krawv (f64x2.splat (local.get $Kraw)))
    (local.set $lagB (i32.shl (local.get $lag) (i32.const 3)))
    ;; pass 1: prov[h], the first `lag` hours `first`, then two hours at a time
    (block $lagged
      (loop $pre
        (br_if $lagged (i32.ge_s (local.get $h) (local.get $H)))
        (br_if $lagged (i32.ge_s (local.get $h) (local.get $lag)))
        (f64.store (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3))) (local.get $first))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br $pre)))
    (block $pairs
      (loop $pair
        (br_if $pairs (i32.ge_s (i32.add (local.get $h) (i32.const 1)) (local.get $H)))
        (local.set $v (f64x2.ceil (f64x2.mul
          (v128.load (i32.sub (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3))) (local.get $lagB)))
          (local.get $invKtv))))
        (local.set $v (f64x2.pmax (local.get $v) (local.get $minRv)))
        (if (f64.ne (local.get $step) (f64.const 1))
          (then (local.set $v (f64x2.mul (f64x2.ceil (f64x2.div (local.get $v) (local.get $stepv))) (local.get $stepv)))))
        (v128.store (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3))) (f64x2.pmin (local.get $v) (local.get $maxRv)))
        (local.set $h (i32.add (local.get $h) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_s (local.get $h) (local.get $H))
      (then
        (local.set $w (f64.ceil (f64.mul
          (f64.load (i32.sub (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3))) (local.get $lagB)))
          (local.get $invKt))))
        (local.set $w (select (local.get $minR) (local.get $w) (f64.lt (local.get $w) (local.get $minR))))
        (if (f64.ne (local.get $step) (f64.const 1))
          (then (local.set $w (f64.mul (f64.ceil (f64.div (local.get $w) (local.get $step))) (local.get $step)))))
        (f64.store (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3)))
          (select (local.get $maxR) (local.get $w) (f64.gt (local.get $w) (local.get $maxR))))))
    ;; pass 2: the sums, by month
    (local.set $h (i32.const 0))
    (local.set $prevv (f64x2.splat (local.get $first)))
    (loop $months
      (local.set $end (i32.add (local.get $h) (local.get $hpm)))
      (if (i32.gt_s (local.get $end) (local.get $H)) (then (local.set $end (local.get $H))))
      (local.set $monthv (v128.const i64x2 0 0))
      (block $pairs2
        (loop $pair2
          (br_if $pairs2 (i32.ge_s (i32.add (local.get $h) (i32.const 1)) (local.get $end)))
          (local.set $pv (v128.load (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3)))))
          ;; [prev, p0] - the hour before each
          (local.set $incv (f64x2.sub (local.get $pv)
            (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $prevv) (local.get $pv))))
          (local.set $coldv (f64x2.add (local.get $coldv)
            (f64x2.mul (f64x2.add (local.get $incv) (f64x2.abs (local.get $incv))) (f64x2.splat (f64.const 0.5)))))
          (local.set $peakv (f64x2.pmax (local.get $peakv) (local.get $pv)))
          (local.set $m (f64x2.pmin (f64x2.mul (local.get $pv) (local.get $Krawv))
                                    (v128.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3))))))
          (local.set $served (f64.add (f64.add (local.get $served) (f64x2.extract_lane 0 (local.get $m))) (f64x2.extract_lane 1 (local.get $m))))
          (local.set $violv (i64x2.sub (local.get $violv)
            (f64x2.gt (v128.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3))))
                      (f64x2.mul (local.get $pv) (local.get $Kv)))))
          (local.set $monthv (f64x2.add (local.get $monthv) (local.get $pv)))
          (local.set $prevv (local.get $pv))
          (local.set $h (i32.add (local.get $h) (i32.const 2)))
          (br $pair2)))
      (local.set $month (f64.add (f64x2.extract_lane 0 (local.get $monthv)) (f64x2.extract_lane 1 (local.get $monthv))))
      (if (i32.lt_s (local.get $h) (local.get $end))
        (then
          (local.set $p (f64.load (i32.add (local.get $prov) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $inc (f64.sub (local.get $p) (f64x2.extract_lane 1 (local.get $prevv))))
          (local.set $cold (f64.add (local.get $cold) (f64.mul (f64.add (local.get $inc) (f64.abs (local.get $inc))) (f64.const 0.5))))
          (local.set $peak (select (local.get $p) (local.get $peak) (f64.gt (local.get $p) (local.get $peak))))
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $cap (f64.mul (local.get $p) (local.get $Kraw)))
          (local.set $viol (i32.add (local.get $viol)
            (f64.gt (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))) (f64.mul (local.get $p) (local.get $K)))))
          (local.set $served (f64.add (local.get $served) (select (local.get $d) (local.get $cap) (f64.lt (local.get $d) (local.get $cap)))))
          (local.set $month (f64.add (local.get $month) (local.get $p)))
          (local.set $prevv (f64x2.replace_lane 1 (local.get $prevv) (local.get $p)))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))))
      (f64.store (local.get $mp) (local.get $month))
      (local.set $mp (i32.add (local.get $mp) (i32.const 8)))
      (br_if $months (i32.lt_s (local.get $h) (local.get $H))))
    ;; the lanes' totals: whole numbers, exact in any order
    (local.set $cold (f64.add (local.get $cold) (f64.add (f64x2.extract_lane 0 (local.get $coldv)) (f64x2.extract_lane 1 (local.get $coldv)))))
    (local.set $peak (select (f64x2.extract_lane 0 (local.get $peakv)) (local.get $peak) (f64.gt (f64x2.extract_lane 0 (local.get $peakv)) (local.get $peak))))
    (local.set $peak (select (f64x2.extract_lane 1 (local.get $peakv)) (local.get $peak) (f64.gt (f64x2.extract_lane 1 (local.get $peakv)) (local.get $peak))))
    (f64.store (local.get $acc) (local.get $cold))
    (f64.store offset=8 (local.get $acc) (local.get $peak))
    (f64.store offset=16 (local.get $acc) (local.get $served))
    (f64.store offset=24 (local.get $acc)
      (f64.convert_i32_u (i32.add (local.get $viol)
        (i32.add (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $violv))) (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $violv))))))))

  ;; hybrid(path, mo, acc, H, hpm, capB): hybrid.ts `hybridHours`. Each hour serves up to capB
  ;; and overflows the rest; each month's overflow (Neumaier-compensated, in hour order) into
  ;; mo; the demand served and the hours with overflow into acc[0..2).
  (func (export "hybrid") (param $path i32) (param $mo i32) (param $acc i32) (param $H i32)
        (param $hpm i32) (param $capB f64)
    (local $h i32) (local $end i32) (local $d f64) (local $x f64) (local $over f64) (local $t f64)
    (local $mOver f64) (local $comp f64) (local $served f64) (local $overHours f64) (local $nover i32)
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
            (local.set $nover (i32.add (local.get $nover) (f64.gt (local.get $d) (local.get $capB))))
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
    (f64.store offset=8 (local.get $acc) (f64.convert_i32_u (local.get $nover))))

  ;; fixed(path, need, acc, H, capSlo, capRaw): fixed.ts `fixedHours`: the demand served (up to
  ;; capRaw an hour, in hour order) and the hours whose need exceeds capSlo, into acc[0..2).
  (func (export "fixed") (param $path i32) (param $need i32) (param $acc i32) (param $H i32)
        (param $capSlo f64) (param $capRaw f64)
    (local $h i32) (local $d f64) (local $served f64) (local $nviol i32)
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $d (f64.load (i32.add (local.get $path) (i32.shl (local.get $h) (i32.const 3)))))
          (local.set $nviol (i32.add (local.get $nviol)
            (f64.gt (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))) (local.get $capSlo))))
          (local.set $served (f64.add (local.get $served)
            (select (local.get $d) (local.get $capRaw) (f64.lt (local.get $d) (local.get $capRaw)))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H))))))
    (f64.store (local.get $acc) (local.get $served))
    (f64.store offset=8 (local.get $acc) (f64.convert_i32_u (local.get $nviol))))

  ;; above(need, H, cap): fixed.ts `hoursAbove`: the hours whose need exceeds cap.
  (func (export "above") (param $need i32) (param $H i32) (param $cap f64) (result f64)
    (local $h i32) (local $n i32)
    (if (i32.gt_s (local.get $H) (i32.const 0))
      (then
        (loop $hour
          (local.set $n (i32.add (local.get $n)
            (f64.gt (f64.load (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))) (local.get $cap))))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br_if $hour (i32.lt_s (local.get $h) (local.get $H))))))
    (f64.convert_i32_u (local.get $n)))

  ;; histogram(path, count, sum, out, hours, min, inv, nb): bins.ts `histogram`. count and sum
  ;; (nb doubles each) are zeroed, then each hour's demand d goes to bin ⌊(d − min)·inv⌋ (the
  ;; last bin at most): its count and its sum in hour order; out[0] = the demand summed in hour
  ;; order, out[1] = the largest (−∞ for no hours). The bin index is the low 32 bits of
  ;; trunc(x) + 2^52, x = (d − min)·inv, without a float-to-int conversion and its range checks:
  ;; JavaScript's `x | 0` for x in (−1, 2^52) (for d in the path's own [min, max], x is in
  ;; [0, nb]); 0 for NaN and ±∞, as `| 0` gives (a range too narrow for a double's bin width);
  ;; negative for x in (−2^30, −1], as `| 0` is (there trunc(x) + 2^52 is below 2^52 and its
  ;; low bits read −2·trunc(x)), so such an hour goes to no bin, as in JavaScript.
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
          (local.set $x (f64.mul (f64.sub (local.get $d) (local.get $min)) (local.get $inv)))
          (local.set $b (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.trunc (local.get $x)) (f64.const 4503599627370496)))))
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
