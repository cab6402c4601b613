;; The demand path's two hour loops (path.ts `DemandKernel`) as WebAssembly: the same
;; operations in the same order on the same doubles, so the same bits as the JavaScript
;; reference (test/traffic/path.test.ts pins them hour by hour). Assembled into
;; demand-wasm.ts by write-demand-wasm.ts (`npm run tables`); edit this file, not that one.
;;
;; Memory (byte offsets, laid out by path.ts `DemandKernel`):
;;   0        the normal table as 16,384 pairs of f64: cell i's value (probit at its midpoint,
;;            normal-table.ts) and the step to the next cell's, T[i+1] − T[i] (0 for the last)
;;   262144   state: f64 s0 s1 s2 c (Alea), g, ms, mc, min, max; then i32 w, m, mEnd
;;   262272   the shape (hour-of-week factors or trace), then the hours' demand, need, months
(module
  (import "env" "probit" (func $probit (param f64) (result f64)))
  (import "env" "memory" (memory 1))

  ;; noise(out, hours, st, z, rho, innov, a, b): out[h] = the Wilson–Hilferty base x of hour h
  ;; for h < hours (`scale` cubes it): Alea's step, the uniform's normal by the table (the
  ;; exact probit outside it) and the AR(1) step. Reads and writes Alea's state at st.
  (func (export "noise") (param $out i32) (param $hours i32) (param $st i32) (param $z f64)
        (param $rho f64) (param $innov f64) (param $a f64) (param $b f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $c f64) (local $t f64)
    (local $cn f64) (local $xu f64) (local $fl f64) (local $e f64) (local $i i32)
    (local $p i32) (local $end i32)
    (local.set $s0 (f64.load (local.get $st)))
    (local.set $s1 (f64.load offset=8 (local.get $st)))
    (local.set $s2 (f64.load offset=16 (local.get $st)))
    (local.set $c (f64.load offset=24 (local.get $st)))
    (local.set $p (local.get $out))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $hours) (i32.const 3))))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (loop $hour
          ;; t = 2091639·s0 + c·2^-32; c' = ⌊t⌋ (JavaScript's t | 0: t is in [0, 2091640)). Found
          ;; as ⌊2091639·s0⌋ and a test for the carry, off the chain through c, it ran 8% slower.
          (local.set $t (f64.add (f64.mul (f64.const 2091639) (local.get $s0)) (f64.mul (local.get $c) (f64.const 2.3283064365386963e-10))))
          (local.set $cn (f64.floor (local.get $t)))
          (local.set $s0 (local.get $s1))
          (local.set $s1 (local.get $s2))
          (local.set $c (local.get $cn))
          (local.set $s2 (f64.sub (local.get $t) (local.get $cn)))
          ;; e = Φ⁻¹(s2): the table's cells interpolated, the two outer cells exactly. The cell
          ;; is ⌊xu⌋ (xu ∈ [-0.5, 16383.5)), read as an integer from the low bits of ⌊xu⌋ + 2^52
          ;; (exact; no float-to-int conversion and its range check); the outer cells are
          ;; -1 (as unsigned, the largest) and 16383. xu − ⌊xu⌋ is the JavaScript's xu − (xu|0).
          (local.set $xu (f64.sub (f64.mul (local.get $s2) (f64.const 16384)) (f64.const 0.5)))
          (local.set $fl (f64.floor (local.get $xu)))
          (local.set $i (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (local.get $fl) (f64.const 4503599627370496)))))
          (if (i32.ge_u (local.get $i) (i32.const 16383))
            (then
              (local.set $e (call $probit (select (local.get $s2) (f64.const 1e-300) (f64.gt (local.get $s2) (f64.const 0))))))
            (else
              (local.set $e
                (f64.add (f64.load (i32.shl (local.get $i) (i32.const 4)))
                  (f64.mul (f64.sub (local.get $xu) (local.get $fl))
                           (f64.load offset=8 (i32.shl (local.get $i) (i32.const 4))))))))
          ;; z = ρ·z + √(1-ρ²)·e; out = x = a + b·z
          (local.set $z (f64.add (f64.mul (local.get $rho) (local.get $z)) (f64.mul (local.get $innov) (local.get $e))))
          (f64.store (local.get $p) (f64.add (local.get $a) (f64.mul (local.get $b) (local.get $z))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br_if $hour (i32.lt_u (local.get $p) (local.get $end))))))
    (f64.store (local.get $st) (local.get $s0))
    (f64.store offset=8 (local.get $st) (local.get $s1))
    (f64.store offset=16 (local.get $st) (local.get $s2))
    (f64.store offset=24 (local.get $st) (local.get $c)))

  ;; scale(out, need, months, shape, period, h0, h1, st, burst, growthPerHour, needMode, ptm,
  ;; zr, hpm, norm): hours [h0, h1) (no burst starts or ends inside): the noise factor of the
  ;; base x in out[h], n = x > 0 ? x³·norm : 0, then d = g·shape[w]·n·burst into out[h];
  ;; need[h] = d + zr·√d (needMode 2) or d·ptm (1); the month's Neumaier sum,
  ;; written to months[m] at each month end (hpm hours); min and max; g grows, w cycles.
  ;; g, ms, mc, min, max, w, m, mEnd carry over between calls in the state at st. Two hours at
  ;; a time in f64x2 lanes (a segment's odd last hour alone): g stepped hour by hour as one
  ;; lane after the other, the month's sum added hour by hour, so every double is the one the
  ;; hour-by-hour loop makes; min and max are comparisons, the same in any order.
  (func (export "scale") (param $out i32) (param $need i32) (param $months i32) (param $shape i32)
        (param $period i32) (param $h0 i32) (param $h1 i32) (param $st i32) (param $burst f64)
        (param $gph f64) (param $needMode i32) (param $ptm f64) (param $zr f64) (param $hpm i32)
        (param $norm f64)
    (local $g f64) (local $ms f64) (local $mc f64) (local $min f64) (local $max f64)
    (local $w i32) (local $m i32) (local $mEnd i32) (local $h i32) (local $segEnd i32)
    (local $d f64) (local $t f64) (local $x f64) (local $w1 i32) (local $g1 f64)
    (local $xv v128) (local $dv v128) (local $sv v128) (local $minv v128) (local $maxv v128)
    (local.set $g (f64.load offset=32 (local.get $st)))
    (local.set $ms (f64.load offset=40 (local.get $st)))
    (local.set $mc (f64.load offset=48 (local.get $st)))
    (local.set $minv (f64x2.splat (f64.load offset=56 (local.get $st))))
    (local.set $maxv (f64x2.splat (f64.load offset=64 (local.get $st))))
    (local.set $w (i32.load offset=72 (local.get $st)))
    (local.set $m (i32.load offset=76 (local.get $st)))
    (local.set $mEnd (i32.load offset=80 (local.get $st)))
    (local.set $h (local.get $h0))
    (block $done
      (loop $segment
        (br_if $done (i32.ge_s (local.get $h) (local.get $h1)))
        (if (i32.eq (local.get $h) (local.get $mEnd))
          (then
            (f64.store (i32.add (local.get $months) (i32.shl (local.get $m) (i32.const 3))) (f64.add (local.get $ms) (local.get $mc)))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))
            (local.set $ms (f64.const 0))
            (local.set $mc (f64.const 0))
            (local.set $mEnd (i32.add (local.get $mEnd) (local.get $hpm)))))
        (local.set $segEnd (select (local.get $mEnd) (local.get $h1) (i32.lt_s (local.get $mEnd) (local.get $h1))))
        ;; two hours at a time
        (block $pairsDone
          (loop $pair
            (br_if $pairsDone (i32.ge_s (i32.add (local.get $h) (i32.const 1)) (local.get $segEnd)))
            ;; g of both hours, in the scalar order
            (local.set $g1 (f64.mul (local.get $g) (local.get $gph)))
            ;; the shape's two factors (the second wraps to 0 at the period's end)
            (local.set $w1 (i32.add (local.get $w) (i32.const 1)))
            (if (i32.eq (local.get $w1) (local.get $period))
              (then
                (local.set $w1 (i32.const 0))
                (local.set $sv (f64x2.replace_lane 1
                  (f64x2.splat (f64.load (i32.add (local.get $shape) (i32.shl (local.get $w) (i32.const 3)))))
                  (f64.load (local.get $shape)))))
              (else (local.set $sv (v128.load (i32.add (local.get $shape) (i32.shl (local.get $w) (i32.const 3)))))))
            (local.set $xv (v128.load (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 3)))))
            (local.set $dv
              (f64x2.mul
                (f64x2.mul
                  (f64x2.mul (f64x2.replace_lane 1 (f64x2.splat (local.get $g)) (local.get $g1)) (local.get $sv))
                  (v128.and
                    (f64x2.mul (f64x2.mul (f64x2.mul (local.get $xv) (local.get $xv)) (local.get $xv)) (f64x2.splat (local.get $norm)))
                    (f64x2.gt (local.get $xv) (v128.const i64x2 0 0))))
                (f64x2.splat (local.get $burst))))
            (v128.store (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 3))) (local.get $dv))
            (if (i32.eq (local.get $needMode) (i32.const 2))
              (then
                (v128.store (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))
                  (f64x2.add (local.get $dv) (f64x2.mul (f64x2.splat (local.get $zr)) (f64x2.sqrt (local.get $dv))))))
              (else
                (if (i32.eq (local.get $needMode) (i32.const 1))
                  (then
                    (v128.store (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))
                      (f64x2.mul (local.get $dv) (f64x2.splat (local.get $ptm))))))))
            ;; Neumaier, hour by hour
            (local.set $d (f64x2.extract_lane 0 (local.get $dv)))
            (local.set $t (f64.add (local.get $ms) (local.get $d)))
            (local.set $mc
              (f64.add (local.get $mc)
                (select
                  (f64.add (f64.sub (local.get $ms) (local.get $t)) (local.get $d))
                  (f64.add (f64.sub (local.get $d) (local.get $t)) (local.get $ms))
                  (f64.ge (local.get $ms) (local.get $d)))))
            (local.set $ms (local.get $t))
            (local.set $d (f64x2.extract_lane 1 (local.get $dv)))
            (local.set $t (f64.add (local.get $ms) (local.get $d)))
            (local.set $mc
              (f64.add (local.get $mc)
                (select
                  (f64.add (f64.sub (local.get $ms) (local.get $t)) (local.get $d))
                  (f64.add (f64.sub (local.get $d) (local.get $t)) (local.get $ms))
                  (f64.ge (local.get $ms) (local.get $d)))))
            (local.set $ms (local.get $t))
            (local.set $minv (f64x2.pmin (local.get $minv) (local.get $dv)))
            (local.set $maxv (f64x2.pmax (local.get $maxv) (local.get $dv)))
            (local.set $g (f64.mul (local.get $g1) (local.get $gph)))
            (local.set $w (i32.add (local.get $w1) (i32.const 1)))
            (if (i32.eq (local.get $w) (local.get $period)) (then (local.set $w (i32.const 0))))
            (local.set $h (i32.add (local.get $h) (i32.const 2)))
            (br $pair)))
        ;; a segment's odd last hour
        (if (i32.lt_s (local.get $h) (local.get $segEnd))
          (then
            (local.set $d
              (f64.mul
                (f64.mul
                  (f64.mul (local.get $g) (f64.load (i32.add (local.get $shape) (i32.shl (local.get $w) (i32.const 3)))))
                  (select (f64.mul (f64.mul (f64.mul
                            (local.tee $x (f64.load (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 3)))))
                            (local.get $x)) (local.get $x)) (local.get $norm))
                          (f64.const 0)
                          (f64.gt (local.get $x) (f64.const 0))))
                (local.get $burst)))
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $h) (i32.const 3))) (local.get $d))
            (if (i32.eq (local.get $needMode) (i32.const 2))
              (then
                (f64.store (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))
                  (f64.add (local.get $d) (f64.mul (local.get $zr) (f64.sqrt (local.get $d))))))
              (else
                (if (i32.eq (local.get $needMode) (i32.const 1))
                  (then
                    (f64.store (i32.add (local.get $need) (i32.shl (local.get $h) (i32.const 3)))
                      (f64.mul (local.get $d) (local.get $ptm)))))))
            (local.set $t (f64.add (local.get $ms) (local.get $d)))
            (local.set $mc
              (f64.add (local.get $mc)
                (select
                  (f64.add (f64.sub (local.get $ms) (local.get $t)) (local.get $d))
                  (f64.add (f64.sub (local.get $d) (local.get $t)) (local.get $ms))
                  (f64.ge (local.get $ms) (local.get $d)))))
            (local.set $ms (local.get $t))
            (local.set $minv (f64x2.pmin (local.get $minv) (f64x2.splat (local.get $d))))
            (local.set $maxv (f64x2.pmax (local.get $maxv) (f64x2.splat (local.get $d))))
            (local.set $g (f64.mul (local.get $g) (local.get $gph)))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (if (i32.eq (local.get $w) (local.get $period)) (then (local.set $w (i32.const 0))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))))
        (br $segment)))
    ;; the lanes' least and largest: the same as hour by hour (comparisons only)
    (local.set $min (f64x2.extract_lane 0 (local.get $minv)))
    (if (f64.lt (f64x2.extract_lane 1 (local.get $minv)) (local.get $min)) (then (local.set $min (f64x2.extract_lane 1 (local.get $minv)))))
    (local.set $max (f64x2.extract_lane 0 (local.get $maxv)))
    (if (f64.gt (f64x2.extract_lane 1 (local.get $maxv)) (local.get $max)) (then (local.set $max (f64x2.extract_lane 1 (local.get $maxv)))))
    (f64.store offset=32 (local.get $st) (local.get $g))
    (f64.store offset=40 (local.get $st) (local.get $ms))
    (f64.store offset=48 (local.get $st) (local.get $mc))
    (f64.store offset=56 (local.get $st) (local.get $min))
    (f64.store offset=64 (local.get $st) (local.get $max))
    (i32.store offset=72 (local.get $st) (local.get $w))
    (i32.store offset=76 (local.get $st) (local.get $m))
    (i32.store offset=80 (local.get $st) (local.get $mEnd)))
)
