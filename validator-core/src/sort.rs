//! One stable sort for the whole crate.
//!
//! `slice::sort_by` is generic over the element and the comparison, and every instantiation is
//! ~3 KB of code in the browser module. [`sort_by`] sorts indices with one merge sort shared by
//! every caller, then moves the elements into that order; it is stable like `sort_by`, and
//! O(n log n) whatever the input (a filing's objects, findings, checklist reasons). Vectors of up
//! to 64 elements are sorted by binary insertion of their positions, then permuted in place.

use std::cmp::Ordering;

/// Up to this length [`sort_by`] sorts by insertion, in place.
const SMALL: usize = 64;

/// The stable order of `n` items under `cmp`: a bottom-up merge sort of their indices (one
/// small body for the whole crate; the standard sort would be ~3 KB of browser code).
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let mid = (i + width).min(n);
            let end = (i + 2 * width).min(n);
            let (mut l, mut r, mut k) = (i, mid, i);
            while l < mid && r < end {
                // the right run's element goes first only when strictly smaller: stable
                if cmp(a[r], a[l]) == Ordering::Less {
                    b[k] = a[r];
                    r += 1;
                } else {
                    b[k] = a[l];
                    l += 1;
                }
                k += 1;
            }
            b[k..k + mid - l].copy_from_slice(&a[l..mid]);
            k += mid - l;
            b[k..k + end - r].copy_from_slice(&a[r..end]);
            i = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// The stable order of `n` ≤ [`SMALL`] items under `cmp` (of their indices): a binary insertion
/// sort of the positions — bytes, moved with one `copy_within` per insertion — with O(n log n)
/// comparisons (each one a string comparison for an object's members), no allocation for the
/// short vectors that are the rule (an object's members, a handful of findings), and a few dozen
/// bytes of code per use. (Shifting the elements themselves made an object's sort cost a tenth
/// of a validation in the browser.)
fn small_order(n: usize, mut cmp: impl FnMut(usize, usize) -> Ordering) -> [u8; SMALL] {
    debug_assert!(n <= SMALL);
    let mut ord = [0u8; SMALL];
    for i in 0..n {
        // after every element not greater than item i: stable
        let (mut lo, mut hi) = (0, i);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if cmp(ord[mid] as usize, i) == Ordering::Greater {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        ord.copy_within(lo..i, lo + 1);
        ord[lo] = i as u8;
    }
    ord
}

/// Moves the elements of `v` into the order `ord` (`ord[k]`: the index of the element that goes
/// to position k; a permutation of `0..v.len()`), each swap putting one element in its place.
fn permute<T>(v: &mut [T], ord: &[u8]) {
    let mut pos = [0u8; SMALL]; // pos[x]: where the element now at x belongs
    for (k, &x) in ord.iter().enumerate() {
        pos[x as usize] = k as u8;
    }
    for i in 0..v.len() {
        while pos[i] as usize != i {
            let t = pos[i] as usize;
            v.swap(i, t);
            pos.swap(i, t);
        }
    }
}

/// Sorts `v` by `cmp`, keeping equal elements in their order (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    if n <= SMALL {
        let ord = small_order(n, |a, b| cmp(&v[a], &v[b]));
        permute(v, &ord[..n]);
        return;
    }
    let idx = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(idx.into_iter().filter_map(|i| slots[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        // short (insertion) and long (index sort) inputs, with many equal keys
        for n in [0, 1, 2, 8, SMALL, SMALL + 1, SMALL + 2, 100, 500, 1025] {
            let mut v: Vec<(u32, usize)> = (0..n).map(|i| ((i as u32 * 7919) % 13, i)).collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, want, "n = {n}");
        }
        // every length up to SMALL, shuffled, reversed and sorted inputs
        let mut seed = 0x2545_f491_u32;
        for n in 0..=SMALL + 3 {
            let shuffled: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % 7, i)
                })
                .collect();
            let reversed: Vec<(u32, usize)> = (0..n).map(|i| ((n - i) as u32, i)).collect();
            let sorted: Vec<(u32, usize)> = (0..n).map(|i| (i as u32, i)).collect();
            for input in [shuffled, reversed, sorted] {
                let (mut v, mut want) = (input.clone(), input);
                want.sort_by_key(|a| a.0);
                sort_by(&mut v, |a, b| a.0.cmp(&b.0));
                assert_eq!(v, want, "n = {n}");
            }
        }
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
