//! mqtt-wire on bare metal: a `no_std`, no-allocator test suite for a Cortex-M3
//! (TI LM3S6965, the `lm3s6965evb` machine of QEMU). Output and exit status go to the host
//! through semihosting; the last line is `N passed, M failed`, and the firmware exits with
//! success only when M is 0. A panic exits with failure (panic-semihosting, `exit`).
//!
//! Run with `./run.sh` (or `cargo run --release` from this directory).

#![no_std]
#![no_main]

// Linked for its critical-section implementation (used by semihosting output).
use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;

mod suite;

/// Stack high-water mark: the codec allocates nothing, so apart from a few statics its
/// RAM is the stack. Paint the free stack with a pattern before the suite, and afterwards
/// look for the lowest word that no longer holds it.
pub(crate) mod stack {
    use core::ptr::{addr_of, read_volatile, write_volatile};
    use core::sync::atomic::{AtomicUsize, Ordering};

    const PAINT: u32 = 0xCAFE_F00D;

    // Provided by cortex-m-rt's link.x: the stack grows down from `_stack_start` (top of
    // RAM) towards `_stack_end` (just past .bss / .uninit).
    unsafe extern "C" {
        static _stack_start: u32;
        static _stack_end: u32;
    }

    fn bounds() -> (usize, usize) {
        (
            addr_of!(_stack_end) as usize,
            addr_of!(_stack_start) as usize,
        )
    }

    /// Fills the stack below the caller's frame (keeping 64 bytes of margin).
    #[inline(never)]
    pub fn paint() {
        let (bottom, _) = bounds();
        let sp = cortex_m::register::msp::read() as usize;
        let mut p = bottom;
        while p + 4 <= sp.saturating_sub(64) {
            // SAFETY: [bottom, sp - 64) is RAM the linker reserved for the stack and
            // nothing lives below the stack pointer (no interrupts are enabled).
            unsafe { write_volatile(p as *mut u32, PAINT) };
            p += 4;
        }
    }

    /// How far below `measure`'s own frame a call may reach and still be measured.
    pub const WINDOW: usize = 4096;

    /// Runs `f` on freshly painted stack and returns the bytes of stack it used: from
    /// `measure`'s stack pointer down to the lowest word `f` wrote. `f` is called through
    /// `dyn`, so it cannot be inlined into this frame; what it counts is the closure's own
    /// frame (a few words plus the value the codec returns into it) and everything the
    /// codec calls. `WINDOW` or more means the call ran past the painted window.
    #[inline(never)]
    pub fn measure(f: &mut dyn FnMut()) -> usize {
        // Painting overwrites what the calls before the first `measure` left on the stack:
        // keep their high-water mark for `peak`.
        if EARLIER.load(Ordering::Relaxed) == 0 {
            EARLIER.store(scan(), Ordering::Relaxed);
        }
        let sp = cortex_m::register::msp::read() as usize & !3;
        let (bottom, _) = bounds();
        let low = sp.saturating_sub(WINDOW).max(bottom);
        let mut p = low;
        while p < sp {
            // SAFETY: [low, sp) is stack below the current frame, inside the region the
            // linker reserved; nothing lives there (no interrupts are enabled).
            unsafe { write_volatile(p as *mut u32, PAINT) };
            p += 4;
        }
        f();
        let mut p = low;
        // SAFETY: reads aligned words of [low, sp), inside RAM.
        while p < sp && unsafe { read_volatile(p as *const u32) } == PAINT {
            p += 4;
        }
        sp - p
    }

    /// The high-water mark before the first `measure`.
    static EARLIER: AtomicUsize = AtomicUsize::new(0);

    /// The most stack used since `paint`, in bytes.
    pub fn peak() -> usize {
        scan().max(EARLIER.load(Ordering::Relaxed))
    }

    fn scan() -> usize {
        let (bottom, top) = bounds();
        let mut p = bottom;
        // SAFETY: reads aligned words of the stack region, all inside RAM.
        while p < top && unsafe { read_volatile(p as *const u32) } == PAINT {
            p += 4;
        }
        top - p
    }
}

#[entry]
fn main() -> ! {
    stack::paint();
    let (passed, failed) = suite::run();
    hprintln!("peak stack use: {} bytes", stack::peak());

    hprintln!("{} passed, {} failed", passed, failed);
    debug::exit(if failed == 0 {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached when no debugger/QEMU answers the exit call.
    loop {
        core::hint::spin_loop();
    }
}
