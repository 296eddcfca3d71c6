//! The browser module's memory allocator: size classes over `memory.grow`.
//!
//! Rust's default allocator for wasm32 (dlmalloc) is about 8 KB of code — 2.5 KB of the bundle's
//! gzip budget — and built for workloads this module does not have. A validation allocates a few
//! hundred small blocks and frees them all, keystroke after keystroke, on one thread. So:
//!
//! * **small blocks** (≤ 32 KiB, alignment ≤ 16): rounded up to a power of two from 16 bytes;
//!   a free list per size class, refilled by carving blocks out of 64 KiB pages;
//! * **large blocks**: whole pages, from a first-fit free list of page runs (split when larger,
//!   merged with their neighbours when freed), else fresh pages from `memory.grow`.
//!
//! Freed memory is reused but never returned (WebAssembly memory cannot shrink), so the module
//! holds at most its peak use per size class — a steady few hundred KiB for the widget.
//! Single-threaded by construction (wasm32 without the atomics feature has no threads).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

pub const PAGE: usize = 64 * 1024;
const MIN: usize = 16;
const SMALL_MAX: usize = 32 * 1024;
/// 16, 32, …, 32 KiB.
const CLASSES: usize = 12;

/// Where pages come from: `memory.grow` in the browser, an arena in the native tests.
pub trait Pages {
    /// Adds `n` pages; the address of the first, or `None` when memory is exhausted.
    fn grow(&mut self, n: usize) -> Option<usize>;
}

/// A free run of pages (stored in the run itself).
struct Run {
    pages: usize,
    next: *mut Run,
}

pub struct Heap<P> {
    pages: P,
    /// Per size class, the first free block (its first word links to the next).
    free: [*mut u8; CLASSES],
    /// The page being carved into small blocks: next free byte and end.
    bump: usize,
    end: usize,
    runs: *mut Run,
}

fn class_of(size: usize) -> (usize, usize) {
    let size = size.max(MIN).next_power_of_two();
    (
        size.trailing_zeros() as usize - MIN.trailing_zeros() as usize,
        size,
    )
}

fn is_small(l: &Layout) -> bool {
    l.size() <= SMALL_MAX && l.align() <= MIN
}

fn pages_for(l: &Layout) -> usize {
    l.size().max(1).div_ceil(PAGE)
}

impl<P: Pages> Heap<P> {
    pub const fn new(pages: P) -> Self {
        Heap {
            pages,
            free: [null_mut(); CLASSES],
            bump: 0,
            end: 0,
            runs: null_mut(),
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::alloc`]; the memory `Pages` hands out must be valid and unused.
    pub unsafe fn alloc(&mut self, l: Layout) -> *mut u8 {
        if is_small(&l) {
            let (c, size) = class_of(l.size());
            let head = self.free[c];
            if !head.is_null() {
                self.free[c] = *(head as *mut *mut u8);
                return head;
            }
            if self.end - self.bump < size {
                // the rest of the page is too small for this class: give it to smaller classes
                self.spill();
                match self.pages.grow(1) {
                    Some(p) => {
                        self.bump = p;
                        self.end = p + PAGE;
                    }
                    None => return null_mut(),
                }
            }
            let p = self.bump;
            self.bump += size;
            return p as *mut u8;
        }
        if l.align() > PAGE {
            return null_mut();
        }
        let n = pages_for(&l);
        // first fit among the free runs, splitting off the rest
        let mut link: *mut *mut Run = &mut self.runs;
        while !(*link).is_null() {
            let run = *link;
            if (*run).pages >= n {
                if (*run).pages > n {
                    let rest = (run as usize + n * PAGE) as *mut Run;
                    rest.write(Run {
                        pages: (*run).pages - n,
                        next: (*run).next,
                    });
                    *link = rest;
                } else {
                    *link = (*run).next;
                }
                return run as *mut u8;
            }
            link = &mut (*run).next;
        }
        self.pages.grow(n).map_or(null_mut(), |p| p as *mut u8)
    }

    /// Hands the unused tail of the carving page to the free lists, largest pieces first.
    unsafe fn spill(&mut self) {
        while self.end - self.bump >= MIN {
            let left = self.end - self.bump;
            let size = 1usize << (usize::BITS - 1 - left.leading_zeros()); // largest power ≤ left
            let (c, size) = class_of(size.min(SMALL_MAX));
            let p = self.bump as *mut u8;
            *(p as *mut *mut u8) = self.free[c];
            self.free[c] = p;
            self.bump += size;
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::dealloc`].
    pub unsafe fn dealloc(&mut self, p: *mut u8, l: Layout) {
        if is_small(&l) {
            let (c, _) = class_of(l.size());
            *(p as *mut *mut u8) = self.free[c];
            self.free[c] = p;
        } else {
            self.free_run(p as usize, pages_for(&l));
        }
    }

    /// Returns a run of pages to the free list, which is kept in address order with neighbours
    /// merged, so that freed runs can serve larger requests later.
    unsafe fn free_run(&mut self, at: usize, pages: usize) {
        let mut prev: *mut Run = null_mut();
        let mut next = self.runs;
        while !next.is_null() && (next as usize) < at {
            prev = next;
            next = (*next).next;
        }
        let run = at as *mut Run;
        run.write(Run { pages, next });
        if !next.is_null() && at + pages * PAGE == next as usize {
            (*run).pages += (*next).pages;
            (*run).next = (*next).next;
        }
        if prev.is_null() {
            self.runs = run;
        } else if prev as usize + (*prev).pages * PAGE == at {
            (*prev).pages += (*run).pages;
            (*prev).next = (*run).next;
        } else {
            (*prev).next = run;
        }
    }

    /// # Safety
    /// As [`GlobalAlloc::realloc`].
    pub unsafe fn realloc(&mut self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, l.align());
        let fits = if is_small(&l) {
            is_small(&new) && class_of(new_size).1 == class_of(l.size()).1
        } else {
            !is_small(&new) && pages_for(&new) == pages_for(&l)
        };
        if fits {
            return p;
        }
        let q = self.alloc(new);
        if !q.is_null() {
            core::ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
            self.dealloc(p, l);
        }
        q
    }
}

/// `memory.grow` on memory 0.
#[cfg(target_arch = "wasm32")]
pub struct Wasm;

#[cfg(target_arch = "wasm32")]
impl Pages for Wasm {
    fn grow(&mut self, n: usize) -> Option<usize> {
        match core::arch::wasm32::memory_grow(0, n) {
            usize::MAX => None,
            old => Some(old * PAGE),
        }
    }
}

/// The global allocator: a [`Heap`] behind an `UnsafeCell` (one thread: see the module docs).
pub struct Global<P>(pub UnsafeCell<Heap<P>>);

// SAFETY: only built for wasm32 without atomics, where there is exactly one thread.
unsafe impl<P> Sync for Global<P> {}

unsafe impl<P: Pages> GlobalAlloc for Global<P> {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        (*self.0.get()).alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        (*self.0.get()).dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(p, l, new_size)
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: Global<Wasm> = Global(UnsafeCell::new(Heap::new(Wasm)));

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages from a fixed, page-aligned arena.
    struct Arena {
        base: usize,
        used: usize,
        cap: usize,
    }

    impl Pages for Arena {
        fn grow(&mut self, n: usize) -> Option<usize> {
            if self.used + n > self.cap {
                return None;
            }
            self.used += n;
            Some(self.base + (self.used - n) * PAGE)
        }
    }

    fn heap(cap: usize) -> (Heap<Arena>, Vec<u8>) {
        let buf = vec![0u8; (cap + 1) * PAGE];
        let base = (buf.as_ptr() as usize).div_ceil(PAGE) * PAGE;
        (Heap::new(Arena { base, used: 0, cap }), buf)
    }

    /// A deterministic pseudo-random sequence (xorshift).
    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn blocks_never_overlap_and_keep_their_bytes() {
        let (mut h, _buf) = heap(1024);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 0x9e3779b97f4a7c15;
        for step in 0..20_000u32 {
            let r = rng(&mut seed);
            if live.is_empty() || (live.len() < 400 && !r.is_multiple_of(3)) {
                let size = match r % 10 {
                    0 => 40_000 + (r >> 8) as usize % 200_000, // large
                    1..=3 => 1 + (r >> 8) as usize % 2_000,
                    _ => 1 + (r >> 8) as usize % 100,
                };
                let align = [1, 2, 4, 8, 16, 32][(r >> 40) as usize % 6];
                let l = Layout::from_size_align(size, align).unwrap();
                let p = unsafe { h.alloc(l) };
                assert!(!p.is_null(), "step {step}: out of memory");
                assert_eq!(p as usize % align, 0, "alignment");
                let tag = step as u8;
                unsafe { core::ptr::write_bytes(p, tag, size) };
                live.push((p, l, tag));
            } else if r.is_multiple_of(6) {
                // realloc a random live block, keeping its prefix
                let i = (r >> 16) as usize % live.len();
                let (p, l, tag) = live[i];
                let new_size = 1 + (r >> 24) as usize % 5_000;
                let q = unsafe { h.realloc(p, l, new_size) };
                assert!(!q.is_null());
                let keep = l.size().min(new_size);
                assert!(unsafe { core::slice::from_raw_parts(q, keep) }
                    .iter()
                    .all(|&b| b == tag));
                unsafe { core::ptr::write_bytes(q, tag, new_size) };
                live[i] = (
                    q,
                    Layout::from_size_align(new_size, l.align()).unwrap(),
                    tag,
                );
            } else {
                let i = (r >> 16) as usize % live.len();
                let (p, l, tag) = live.swap_remove(i);
                assert!(
                    unsafe { core::slice::from_raw_parts(p, l.size()) }
                        .iter()
                        .all(|&b| b == tag),
                    "step {step}: a block was overwritten"
                );
                unsafe { h.dealloc(p, l) };
            }
        }
        // no two live blocks overlap
        let mut spans: Vec<(usize, usize)> = live
            .iter()
            .map(|(p, l, _)| (*p as usize, *p as usize + l.size()))
            .collect();
        spans.sort();
        assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0));
    }

    #[test]
    fn freed_memory_is_reused() {
        let (mut h, _buf) = heap(64);
        for _ in 0..10_000 {
            let ls: Vec<Layout> = [24, 100, 3_000, 70_000]
                .iter()
                .map(|&s| Layout::from_size_align(s, 8).unwrap())
                .collect();
            let ps: Vec<*mut u8> = ls.iter().map(|l| unsafe { h.alloc(*l) }).collect();
            assert!(
                ps.iter().all(|p| !p.is_null()),
                "a steady workload ran out of pages"
            );
            for (p, l) in ps.into_iter().zip(ls) {
                unsafe { h.dealloc(p, l) };
            }
        }
        assert!(
            h.pages.used <= 4,
            "{} pages for a steady workload",
            h.pages.used
        );
    }

    #[test]
    fn freed_runs_merge_to_serve_larger_requests() {
        // freed backwards, forwards and out of order: each time the four runs merge into one
        for order in [[3, 2, 1, 0], [0, 1, 2, 3], [2, 0, 3, 1]] {
            let (mut h, _buf) = heap(8);
            let one = Layout::from_size_align(PAGE, 8).unwrap();
            let ps: Vec<*mut u8> = (0..4).map(|_| unsafe { h.alloc(one) }).collect();
            for i in order {
                unsafe { h.dealloc(ps[i], one) };
            }
            let four = Layout::from_size_align(4 * PAGE, 8).unwrap();
            let q = unsafe { h.alloc(four) };
            assert_eq!(
                q, ps[0],
                "{order:?}: the four freed pages serve one four-page block"
            );
            assert_eq!(h.pages.used, 4);
        }
    }

    #[test]
    fn exhaustion_is_a_null_pointer() {
        let (mut h, _buf) = heap(2);
        let big = Layout::from_size_align(3 * PAGE, 8).unwrap();
        assert!(unsafe { h.alloc(big) }.is_null());
        let small = Layout::from_size_align(64, 8).unwrap();
        assert!(!unsafe { h.alloc(small) }.is_null());
    }
}
