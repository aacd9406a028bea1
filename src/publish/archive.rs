//! `minhbach-data.zip`: the data files in one download, under a folder
//! `minhbach-data/`, with a `SHA256SUMS` of its own. Deterministic: entries
//! sorted by name, every time stamp the date of the data, fixed permissions.
//!
//! Streamed: each file is read back from the sink it was written to and
//! compressed into the output entry after entry, so neither the files nor
//! the zip are ever whole in memory. As the output cannot seek, each entry's
//! sizes and CRC follow its data (a data descriptor), which every unzip
//! tool reads.

use std::io::{self, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::model::Model;
use crate::write::Sink;

use super::DataFile;

pub const FOLDER: &str = "minhbach-data";

/// The deflate level of the text files. Measured on the national corpus's
/// two large ones with zlib-rs (`minhbach.json`, 264 MB, and
/// `observations.csv`, 99 MB; time on this machine, compressed size;
/// `cargo run --release --example deflate_levels -- FILE 3 4 5 6`):
///
/// | level | JSON            | CSV             |
/// | ----- | --------------- | --------------- |
/// | 3     | 0.54 s, 21.7 MB | 0.34 s, 12.9 MB |
/// | 4     | 0.57 s, 20.0 MB | 0.45 s, 12.3 MB |
/// | 5     | 0.63 s, 16.9 MB | 0.57 s, 11.7 MB |
/// | 6     | 1.01 s, 16.2 MB | 0.67 s, 11.7 MB |
///
/// Level 5 gives within 5 % of level 6's size in 70 % of its time (the
/// national zip, whose workbooks are stored, grows by 0.4 %); below 5 the
/// JSON grows by a fifth for little more speed. Level 6 (zlib's default)
/// was used until 2026-11-30.
pub const LEVEL: i64 = 5;

/// The compressor gets its input in pieces of exactly this size (the last
/// one shorter): deflate's output depends on how its input is split, and
/// the split must not depend on the sink the files are read from.
const CHUNK: usize = 256 * 1024;

/// Entries larger than this are written as Zip64 (the plain format stops
/// at 4 GiB, and deflate may add a little to incompressible data).
const LARGE: u64 = 0xF000_0000;

/// Writes the zip of `files` (every data file but the zip itself, the
/// catalogue and the data page, which describe the zip) to `out`, reading
/// each file from `data/<name>` of `sink`.
pub fn write_zip(
    model: &Model,
    files: &[DataFile],
    sink: &dyn Sink,
    out: &mut dyn Write,
) -> io::Result<()> {
    let stamp = super::data_date(model)
        .and_then(|d| {
            let year = u16::try_from(d.year).ok()?.clamp(1980, 2107);
            DateTime::from_date_and_time(year, d.month, d.day, 0, 0, 0).ok()
        })
        .unwrap_or_default();
    let sums = super::checksums(files.iter().map(|f| (f.name.as_str(), f.sha256.as_str())));
    let mut entries: Vec<(&str, Option<&DataFile>)> =
        files.iter().map(|f| (f.name.as_str(), Some(f))).collect();
    entries.push((super::SUMS_NAME, None));
    entries.sort_by(|a, b| a.0.cmp(b.0));

    let mut w = ZipWriter::new_stream(out);
    for (name, file) in entries {
        // Workbooks are zips already: store them as they are.
        let method = if name.ends_with(".xlsx") {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let size = file.map_or(sums.len() as u64, |f| f.size);
        let mut options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(stamp)
            .unix_permissions(0o644)
            .large_file(size > LARGE);
        if method == CompressionMethod::Deflated {
            options = options.compression_level(Some(LEVEL));
        }
        w.start_file(format!("{FOLDER}/{name}"), options)
            .map_err(io::Error::other)?;
        let mut chunks = Chunks {
            inner: &mut w,
            buf: Vec::with_capacity(CHUNK),
        };
        match file {
            Some(f) => {
                sink.copy_to(&f.path(), &mut chunks)
                    .map_err(io::Error::other)?;
            }
            None => chunks.write_all(sums.as_bytes())?,
        }
        chunks.finish()?;
    }
    w.finish().map_err(io::Error::other)?;
    Ok(())
}

/// Passes the bytes written to it on in pieces of [`CHUNK`] bytes.
struct Chunks<'a, W: Write> {
    inner: &'a mut W,
    buf: Vec<u8>,
}

impl<W: Write> Chunks<'_, W> {
    /// Passes on what is left.
    fn finish(mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

impl<W: Write> Write for Chunks<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
