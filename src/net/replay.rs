//! Capture replay: read pcap and pcapng files of DSMP-over-UDP traffic, schedule the datagrams
//! with their original timing (or as fast as possible), and write captures (pcap).
//!
//! The file formats are handled by the `pcap-file` crate; link, IP and UDP headers by
//! [`super::ip`]. Frames that are not UDP datagrams (other protocols, fragments, unknown link
//! types, malformed headers) are skipped and counted in [`CaptureStats`].
//!
//! The schedule never reads a clock: [`Replayer::poll`] takes the time elapsed since the replay
//! started and says whether the next datagram is due or how long to wait.
use core::net::SocketAddr;
use core::time::Duration;
use std::fs::File;
use std::io::{BufReader, BufWriter, Chain, Cursor, Read, Write};
use std::path::Path;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader, PcapWriter};
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::{DataLink, TsResolution};

use super::Error;
use super::ip::{self, LinkType};

/// One UDP datagram read from a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedDatagram {
    /// Capture timestamp, since the Unix epoch.
    pub time: Duration,
    /// Sender address and port.
    pub source: SocketAddr,
    /// Destination address and port.
    pub destination: SocketAddr,
    /// UDP payload (for DSMP traffic: the DSMP packet).
    pub payload: Vec<u8>,
}

/// What the reader saw and skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptureStats {
    /// Frames (packet records) read.
    pub frames: u64,
    /// UDP datagrams returned.
    pub datagrams: u64,
    /// UDP datagrams skipped by the port filter.
    pub filtered: u64,
    /// Frames that are not UDP over IP.
    pub not_udp: u64,
    /// IP fragments (not reassembled).
    pub fragments: u64,
    /// Frames whose headers do not parse.
    pub malformed: u64,
    /// Frames on an interface whose link type is not supported, or in records without a
    /// timestamp (pcapng simple / obsolete packet blocks).
    pub unsupported: u64,
}

type Input<R> = Chain<Cursor<[u8; 4]>, R>;

struct NgInterface {
    link: Option<LinkType>,
    /// Timestamp unit: (base 10?, exponent).
    resolution: (bool, u8),
}

enum Format<R: Read> {
    Pcap {
        reader: PcapReader<Input<R>>,
        link: Option<LinkType>,
    },
    PcapNg {
        reader: PcapNgReader<Input<R>>,
        interfaces: Vec<NgInterface>,
    },
}

/// Reads UDP datagrams from a pcap or pcapng stream.
pub struct CaptureReader<R: Read> {
    format: Format<R>,
    port: Option<u16>,
    stats: CaptureStats,
}

impl<R: Read> core::fmt::Debug for CaptureReader<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CaptureReader")
            .field("port", &self.port)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

const PCAPNG_MAGIC: [u8; 4] = [0x0A, 0x0D, 0x0D, 0x0A];

impl CaptureReader<BufReader<File>> {
    /// Opens a pcap or pcapng file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        CaptureReader::new(BufReader::new(File::open(path)?))
    }
}

fn ts_units_to_duration(raw: u128, (base10, exp): (bool, u8)) -> Duration {
    let nanos: u128 = if base10 {
        if exp <= 9 {
            raw.saturating_mul(10u128.pow(u32::from(9 - exp)))
        } else {
            raw / 10u128.saturating_pow(u32::from(exp - 9))
        }
    } else if exp >= 127 {
        0
    } else {
        raw.saturating_mul(1_000_000_000) >> exp
    };
    let secs = u64::try_from(nanos / 1_000_000_000).unwrap_or(u64::MAX);
    // The remainder is below 10^9 and fits.
    let sub = u32::try_from(nanos % 1_000_000_000).unwrap_or(0);
    Duration::new(secs, sub)
}

impl<R: Read> CaptureReader<R> {
    /// Reads the file header and detects the format (pcap in either byte order and
    /// resolution, or pcapng).
    pub fn new(mut reader: R) -> Result<Self, Error> {
        let mut magic = [0u8; 4];
        reader.read_exact(&mut magic)?;
        let input = Cursor::new(magic).chain(reader);
        let format = if magic == PCAPNG_MAGIC {
            Format::PcapNg {
                reader: PcapNgReader::new(input)?,
                interfaces: Vec::new(),
            }
        } else {
            let reader = PcapReader::new(input)?;
            let link = LinkType::from_u32(u32::from(reader.header().datalink));
            Format::Pcap { reader, link }
        };
        Ok(CaptureReader {
            format,
            port: None,
            stats: CaptureStats::default(),
        })
    }

    /// Keeps only datagrams sent to UDP port `port`.
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// What has been read and skipped so far.
    pub fn stats(&self) -> &CaptureStats {
        &self.stats
    }

    fn accept(
        stats: &mut CaptureStats,
        port: Option<u16>,
        link: Option<LinkType>,
        time: Duration,
        frame: &[u8],
    ) -> Option<CapturedDatagram> {
        stats.frames += 1;
        let Some(link) = link else {
            stats.unsupported += 1;
            return None;
        };
        match ip::parse_frame(link, frame) {
            Ok(d) => {
                if port.is_some_and(|p| p != d.destination.port()) {
                    stats.filtered += 1;
                    return None;
                }
                stats.datagrams += 1;
                Some(CapturedDatagram {
                    time,
                    source: d.source,
                    destination: d.destination,
                    payload: d.payload.to_vec(),
                })
            }
            Err(Error::NotUdp(_) | Error::NotIp(_)) => {
                stats.not_udp += 1;
                None
            }
            Err(Error::Fragment) => {
                stats.fragments += 1;
                None
            }
            Err(_) => {
                stats.malformed += 1;
                None
            }
        }
    }

    /// The next UDP datagram, `None` at the end of the capture.
    pub fn next_datagram(&mut self) -> Option<Result<CapturedDatagram, Error>> {
        let port = self.port;
        loop {
            match &mut self.format {
                Format::Pcap { reader, link } => {
                    let packet = match reader.next_packet()? {
                        Ok(p) => p,
                        Err(e) => return Some(Err(e.into())),
                    };
                    if let Some(d) =
                        Self::accept(&mut self.stats, port, *link, packet.timestamp, &packet.data)
                    {
                        return Some(Ok(d));
                    }
                }
                Format::PcapNg { reader, interfaces } => {
                    let block = match reader.next_block()? {
                        Ok(b) => b,
                        Err(e) => return Some(Err(e.into())),
                    };
                    match block {
                        Block::SectionHeader(_) => interfaces.clear(),
                        Block::InterfaceDescription(idb) => {
                            let mut resolution = (true, 6);
                            for o in &idb.options {
                                if let InterfaceDescriptionOption::IfTsResol(r) = o {
                                    resolution = (r & 0x80 == 0, r & 0x7F);
                                }
                            }
                            interfaces.push(NgInterface {
                                link: LinkType::from_u32(u32::from(idb.linktype)),
                                resolution,
                            });
                        }
                        Block::EnhancedPacket(epb) => {
                            let iface = usize::try_from(epb.interface_id)
                                .ok()
                                .and_then(|i| interfaces.get(i));
                            let Some(iface) = iface else {
                                self.stats.frames += 1;
                                self.stats.malformed += 1;
                                continue;
                            };
                            // pcap-file hands over the raw timestamp units as nanoseconds.
                            let time =
                                ts_units_to_duration(epb.timestamp.as_nanos(), iface.resolution);
                            if let Some(d) =
                                Self::accept(&mut self.stats, port, iface.link, time, &epb.data)
                            {
                                return Some(Ok(d));
                            }
                        }
                        Block::SimplePacket(_) | Block::Packet(_) => {
                            self.stats.frames += 1;
                            self.stats.unsupported += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

impl<R: Read> Iterator for CaptureReader<R> {
    type Item = Result<CapturedDatagram, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_datagram()
    }
}

/// How fast to replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pacing {
    /// Keep the captured gaps, divided by `speed` (1.0 = real time, 2.0 = twice as fast).
    Original {
        /// Speed factor, > 0.
        speed: f64,
    },
    /// Every datagram is due at once.
    AsFastAsPossible,
}

/// Turns capture timestamps into due times relative to the start of a replay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pacing: Pacing,
    first: Option<Duration>,
}

impl Schedule {
    /// A schedule with the given pacing; the first datagram it sees is due at zero.
    pub fn new(pacing: Pacing) -> Schedule {
        Schedule {
            pacing,
            first: None,
        }
    }

    /// When the datagram captured at `capture_time` is due, measured from the replay start.
    /// Datagrams stamped before the first one (captures are not always in order) are due at
    /// zero.
    pub fn due(&mut self, capture_time: Duration) -> Duration {
        let first = *self.first.get_or_insert(capture_time);
        match self.pacing {
            Pacing::AsFastAsPossible => Duration::ZERO,
            Pacing::Original { speed } => {
                let gap = capture_time.saturating_sub(first);
                if speed > 0.0 && speed.is_finite() {
                    Duration::try_from_secs_f64(gap.as_secs_f64() / speed).unwrap_or(Duration::MAX)
                } else {
                    gap
                }
            }
        }
    }
}

/// What the replayer wants the caller to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Deliver this datagram now.
    Deliver(CapturedDatagram),
    /// Nothing is due yet: call again once the elapsed time reaches this value.
    WaitUntil(Duration),
    /// The capture is exhausted.
    Done,
}

/// A capture reader with a schedule.
#[derive(Debug)]
pub struct Replayer<R: Read> {
    reader: CaptureReader<R>,
    schedule: Schedule,
    pending: Option<(Duration, CapturedDatagram)>,
}

impl<R: Read> Replayer<R> {
    /// Replays `reader` with `pacing`.
    pub fn new(reader: CaptureReader<R>, pacing: Pacing) -> Self {
        Replayer {
            reader,
            schedule: Schedule::new(pacing),
            pending: None,
        }
    }

    /// The next step at `elapsed` time since the replay started.
    pub fn poll(&mut self, elapsed: Duration) -> Result<Step, Error> {
        if self.pending.is_none() {
            match self.reader.next_datagram() {
                None => return Ok(Step::Done),
                Some(Err(e)) => return Err(e),
                Some(Ok(d)) => {
                    let due = self.schedule.due(d.time);
                    self.pending = Some((due, d));
                }
            }
        }
        match self.pending.take() {
            Some((due, d)) if due <= elapsed => Ok(Step::Deliver(d)),
            Some((due, d)) => {
                self.pending = Some((due, d));
                Ok(Step::WaitUntil(due))
            }
            None => Ok(Step::Done),
        }
    }

    /// The reader's statistics.
    pub fn stats(&self) -> &CaptureStats {
        self.reader.stats()
    }
}

/// Writes UDP datagrams to a pcap file (link type RAW: one IPv4 or IPv6 packet per record,
/// nanosecond timestamps).
pub struct CaptureWriter<W: Write> {
    writer: PcapWriter<W>,
    scratch: Vec<u8>,
}

impl<W: Write> core::fmt::Debug for CaptureWriter<W> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CaptureWriter").finish_non_exhaustive()
    }
}

impl CaptureWriter<BufWriter<File>> {
    /// Creates (or truncates) a pcap file.
    pub fn create(path: impl AsRef<Path>) -> Result<Self, Error> {
        CaptureWriter::new(BufWriter::new(File::create(path)?))
    }
}

impl<W: Write> CaptureWriter<W> {
    /// Writes the pcap file header.
    pub fn new(writer: W) -> Result<Self, Error> {
        let header = PcapHeader {
            datalink: DataLink::RAW,
            ts_resolution: TsResolution::NanoSecond,
            ..PcapHeader::default()
        };
        Ok(CaptureWriter {
            writer: PcapWriter::with_header(writer, header)?,
            scratch: Vec::new(),
        })
    }

    /// Appends one datagram captured at `time` (since the Unix epoch).
    pub fn write_datagram(
        &mut self,
        time: Duration,
        source: SocketAddr,
        destination: SocketAddr,
        payload: &[u8],
    ) -> Result<(), Error> {
        self.scratch.clear();
        ip::build_ip_udp(source, destination, payload, &mut self.scratch)?;
        let len =
            u32::try_from(self.scratch.len()).map_err(|_| Error::PayloadTooLong(payload.len()))?;
        self.writer
            .write_packet(&PcapPacket::new(time, len, &self.scratch))?;
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> Result<W, Error> {
        let mut w = self.writer.into_writer();
        w.flush()?;
        Ok(w)
    }
}
