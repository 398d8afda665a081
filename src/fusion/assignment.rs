//! Optimal assignment (the Hungarian method with potentials, O(n²m)) for small dense cost
//! matrices, with reusable scratch buffers so a fusion cycle does not allocate once they have
//! grown to the largest problem seen.

use alloc::vec::Vec;

/// Cost that marks a forbidden pairing.
pub const FORBIDDEN: f64 = 1.0e12;

/// Reusable buffers for [`Assignment::solve`].
#[derive(Debug, Default, Clone)]
pub struct Assignment {
    u: Vec<f64>,
    v: Vec<f64>,
    p: Vec<usize>,
    way: Vec<usize>,
    minv: Vec<f64>,
    used: Vec<bool>,
}

impl Assignment {
    /// Buffers for problems up to `max_cols` columns.
    pub fn with_capacity(max_cols: usize) -> Self {
        let n = max_cols + 1;
        Assignment {
            u: Vec::with_capacity(n),
            v: Vec::with_capacity(n),
            p: Vec::with_capacity(n),
            way: Vec::with_capacity(n),
            minv: Vec::with_capacity(n),
            used: Vec::with_capacity(n),
        }
    }

    /// Capacity currently held (sum over buffers, in elements).
    pub fn capacity(&self) -> usize {
        self.u.capacity()
            + self.v.capacity()
            + self.p.capacity()
            + self.way.capacity()
            + self.minv.capacity()
            + self.used.capacity()
    }

    /// Minimum-cost assignment of every row to a distinct column of the row-major `rows × cols`
    /// matrix `cost` (`rows ≤ cols`). Writes the column of each row to `row_to_col` and returns
    /// the total cost; `None` when the shapes do not fit.
    pub fn solve(
        &mut self,
        cost: &[f64],
        rows: usize,
        cols: usize,
        row_to_col: &mut Vec<usize>,
    ) -> Option<f64> {
        if rows > cols || cost.len() != rows.checked_mul(cols)? {
            return None;
        }
        row_to_col.clear();
        if rows == 0 {
            return Some(0.0);
        }
        let (n, m) = (rows, cols);
        let reset_f = |b: &mut Vec<f64>, val: f64| {
            b.clear();
            b.resize(m + 1, val);
        };
        reset_f(&mut self.u, 0.0);
        reset_f(&mut self.v, 0.0);
        reset_f(&mut self.minv, f64::INFINITY);
        self.p.clear();
        self.p.resize(m + 1, 0);
        self.way.clear();
        self.way.resize(m + 1, 0);
        self.used.clear();
        self.used.resize(m + 1, false);
        let c = |i: usize, j: usize| cost.get((i - 1) * m + (j - 1)).copied();
        for i in 1..=n {
            *self.p.get_mut(0)? = i;
            let mut j0 = 0usize;
            self.minv.iter_mut().for_each(|x| *x = f64::INFINITY);
            self.used.iter_mut().for_each(|x| *x = false);
            loop {
                *self.used.get_mut(j0)? = true;
                let i0 = *self.p.get(j0)?;
                let mut delta = f64::INFINITY;
                let mut j1 = 0usize;
                for j in 1..=m {
                    if *self.used.get(j)? {
                        continue;
                    }
                    let cur = c(i0, j)? - self.u.get(i0)? - self.v.get(j)?;
                    if cur < *self.minv.get(j)? {
                        *self.minv.get_mut(j)? = cur;
                        *self.way.get_mut(j)? = j0;
                    }
                    let mv = *self.minv.get(j)?;
                    if mv < delta {
                        delta = mv;
                        j1 = j;
                    }
                }
                if j1 == 0 || !delta.is_finite() {
                    return None;
                }
                for j in 0..=m {
                    if *self.used.get(j)? {
                        let pj = *self.p.get(j)?;
                        *self.u.get_mut(pj)? += delta;
                        *self.v.get_mut(j)? -= delta;
                    } else {
                        *self.minv.get_mut(j)? -= delta;
                    }
                }
                j0 = j1;
                if *self.p.get(j0)? == 0 {
                    break;
                }
            }
            loop {
                let j1 = *self.way.get(j0)?;
                *self.p.get_mut(j0)? = *self.p.get(j1)?;
                j0 = j1;
                if j0 == 0 {
                    break;
                }
            }
        }
        row_to_col.resize(n, usize::MAX);
        let mut total = 0.0;
        for j in 1..=m {
            let i = *self.p.get(j)?;
            if i > 0 {
                *row_to_col.get_mut(i - 1)? = j - 1;
                total += c(i, j)?;
            }
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(cost: &[f64], n: usize, m: usize) -> f64 {
        fn rec(cost: &[f64], n: usize, m: usize, i: usize, used: &mut Vec<bool>) -> f64 {
            if i == n {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..m {
                if !used[j] {
                    used[j] = true;
                    best = best.min(cost[i * m + j] + rec(cost, n, m, i + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        rec(cost, n, m, 0, &mut vec![false; m])
    }

    #[test]
    fn matches_brute_force_on_random_problems() {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut a = Assignment::with_capacity(8);
        let mut out = Vec::new();
        for _ in 0..300 {
            let n = 1 + (next() * 5.0) as usize;
            let m = n + (next() * 3.0) as usize;
            let cost: Vec<f64> = (0..n * m)
                .map(|_| {
                    if next() < 0.2 {
                        FORBIDDEN
                    } else {
                        next() * 10.0
                    }
                })
                .collect();
            let total = a.solve(&cost, n, m, &mut out).unwrap();
            assert!((total - brute(&cost, n, m)).abs() < 1e-9);
            let mut seen = vec![false; m];
            for &j in &out {
                assert!(!seen[j]);
                seen[j] = true;
            }
        }
        assert!(a.solve(&[1.0, 2.0], 2, 1, &mut out).is_none());
    }
}
