//! The firmware skeleton without mqtt-wire: start-up, one formatted semihosting line and
//! the exit call. Built only to measure sizes: `codec-size` minus this is what the codec
//! costs in flash.

#![no_std]
#![no_main]

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;

#[entry]
fn main() -> ! {
    let n = core::hint::black_box(0usize);
    hprintln!("{}", n);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        core::hint::spin_loop();
    }
}
