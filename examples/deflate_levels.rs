//! Benchmark (not a test): deflate levels on one file, as the zip and the
//! workbooks compress it (the zip crate with zlib-rs, in 256 KiB pieces):
//! the time and compressed size of each level, to weigh the levels chosen
//! in `publish::archive::LEVEL` and the workbooks' level.
//!
//!     cargo run --release --example deflate_levels -- FILE LEVEL...

use std::io::{Cursor, Write};
use std::time::Instant;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: deflate_levels FILE LEVEL...")?;
    let data = std::fs::read(&path)?;
    for level in args {
        let level: i64 = level.parse()?;
        let mut out = Cursor::new(Vec::new());
        let start = Instant::now();
        let mut w = ZipWriter::new(&mut out);
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(level));
        w.start_file("x", options)?;
        for piece in data.chunks(256 * 1024) {
            w.write_all(piece)?;
        }
        w.finish()?;
        let took = start.elapsed().as_secs_f64();
        let size = out.get_ref().len();
        println!(
            "{path} level {level}: {took:.2} s, {} → {size} bytes ({:.1} %), {:.0} MB/s",
            data.len(),
            size as f64 * 100.0 / data.len() as f64,
            data.len() as f64 / 1e6 / took
        );
    }
    Ok(())
}
