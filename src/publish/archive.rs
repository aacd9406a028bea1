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

/// The deflate level of the text files: zlib's default. Measured on the
/// 617 MB of text of the national corpus (zlib-rs): level 1 takes 0.7 s
/// and gives 72 MB, level 3 1.4 s and 45 MB, level 6 2.7 s and 36 MB.
/// Twice the download is not worth two seconds of a build that spends
/// them beside the rendering. On the province corpus (10.8 MB of text; the
/// workbooks are stored) level 6 takes ~53 ms and gives a 5.48 MB zip,
/// level 3 ~31 ms and 5.67 MB, level 1 ~18 ms and 6.29 MB: 1 % of the
/// build is not worth a larger download either.
pub const LEVEL: i64 = 6;

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
