//! `cv2x listen`, `cv2x send` and `cv2x replay`: DSMP over UDP on the command line. This
//! module holds the options they share; each command has its own file.
mod listen;
mod replay;
mod send;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use cv2x::msg::conform::hex_lower;
use cv2x::net::aid::AidTable;
use cv2x::net::dispatch::{Framing, PayloadKind, SecurityMode};
use cv2x::net::dsmp::{self, Repr};
use cv2x::net::replay::{CaptureReader, CaptureWriter, Pacing, Replayer, Step};
use cv2x::net::transport::{Source, Transport};
use cv2x::net::udp::{Interface, UdpConfig, UdpTransport};
use cv2x::net::{Aid, Dispatcher, MessageClass};
use cv2x::security::sign::{SignerMode, SpduSigner};
use cv2x::security::{Report, Verifier};
use cv2x::time::Timestamp;
use serde_json::{Value, json};

use crate::security::build_verifier;
use crate::text::{read_inputs, timestamp};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x listen [--group ADDR] --port P [--bind ADDR] [--iface NAME|ADDR] [--count N]\n",
    "              [--timeout S] [--adaptation] [--security detect|plain|signed]\n",
    "              [--write FILE.pcap] [--show-drops] [--aids FILE]\n",
    "              [--trust CERT]... [--cert CERT]... [--crl CRL]... [--max-age S] [--max-future S]\n",
    "  cv2x send --port P [--group ADDR | --to ADDR] [--bind ADDR] [--iface NAME|ADDR]\n",
    "            [--rate HZ] [--count N] [--aid N] [--adaptation]\n",
    "            [--sign-cert CERT --sign-key KEY [--signer auto|digest|certificate]] FILE.jsonl\n",
    "            (FILE.jsonl: vector lines, or MessageFrames in JER as `cv2x decode` prints them)\n",
    "  cv2x replay --port P [--group ADDR | --to ADDR] [--bind ADDR] [--iface NAME|ADDR]\n",
    "              [--speed X | --fast] [--filter-port Q] FILE.pcap|FILE.pcapng\n",
    "With --trust, listen verifies every SPDU at its receive time and prints the result and the\n",
    "payload it carries; --cert adds a known (CA or signer) certificate. With --sign-cert and\n",
    "--sign-key, send signs each message as it leaves (generation time = send time); `auto`\n",
    "names the signer by its certificate once a second and by its digest in between.\n",
    "--aids FILE replaces listen's AID table (Day I and the Day II values in use) with the\n",
    "file's: `AID class` lines (see cv2x::net::aid) or a vendor ProtocolStack.ini.\n",
);

/// Runs one of the network subcommands.
pub fn run(cmd: &str, args: &[String]) -> Result<ExitCode, String> {
    let opts = Options::parse(args)?;
    match cmd {
        "listen" => listen::listen(&opts),
        "send" => send::send(&opts),
        "replay" => replay::replay(&opts),
        other => Err(format!("unknown network command `{other}`\n{USAGE}")),
    }
}

/// How the payload of a received message is shown: the JER of the MessageFrame it carries
/// (T/CSAE 53-2020 / 157-2020), or its hex and the decode error.
pub fn describe_payload(aid: Aid, bytes: &[u8]) -> Value {
    let _ = aid;
    match cv2x::msg::Standard::Csae53_2020.decode_named("MessageFrame", bytes) {
        Ok(Some((jer, _))) => json!({ "MessageFrame": jer }),
        Ok(None) => json!({ "hex": hex_lower(bytes) }),
        Err(e) => json!({ "hex": hex_lower(bytes), "error": e.to_string() }),
    }
}

#[derive(Default)]
pub(super) struct Options {
    port: Option<u16>,
    group: Option<IpAddr>,
    to: Option<IpAddr>,
    bind: Option<IpAddr>,
    iface: Option<Interface>,
    count: Option<u64>,
    timeout: Option<Duration>,
    rate_hz: Option<f64>,
    aid: Option<Aid>,
    adaptation: bool,
    security: SecurityMode,
    write: Option<String>,
    show_drops: bool,
    speed: Option<f64>,
    fast: bool,
    filter_port: Option<u16>,
    trust: Vec<String>,
    certs: Vec<String>,
    crls: Vec<String>,
    max_age_s: Option<f64>,
    max_future_s: Option<f64>,
    sign_cert: Option<String>,
    sign_key: Option<String>,
    signer: SignerChoice,
    aids: Option<String>,
    files: Vec<String>,
}

/// How `send` names the signer of a signed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum SignerChoice {
    /// The whole certificate once a second, the digest in between.
    #[default]
    Auto,
    /// Always the digest.
    Digest,
    /// Always the certificate.
    Certificate,
}

pub(super) fn seconds(s: &str, flag: &str) -> Result<f64, String> {
    crate::text::seconds(s).map_err(|e| format!("{flag}: {e}"))
}

pub(crate) fn value<'a>(
    it: &mut impl Iterator<Item = &'a String>,
    flag: &str,
) -> Result<&'a str, String> {
    it.next()
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

pub(super) fn number<T: std::str::FromStr>(s: &str, flag: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("{flag}: `{s}` is not a valid value"))
}

pub(super) fn ip(s: &str, flag: &str) -> Result<IpAddr, String> {
    s.parse()
        .map_err(|_| format!("{flag}: `{s}` is not an IP address"))
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--port" => o.port = Some(number(value(&mut it, a)?, a)?),
                "--group" => {
                    let g = ip(value(&mut it, a)?, a)?;
                    if !g.is_multicast() {
                        return Err(format!("--group: {g} is not a multicast address"));
                    }
                    o.group = Some(g);
                }
                "--to" => o.to = Some(ip(value(&mut it, a)?, a)?),
                "--bind" => o.bind = Some(ip(value(&mut it, a)?, a)?),
                "--iface" => {
                    let v = value(&mut it, a)?;
                    o.iface = Some(match v.parse::<Ipv4Addr>() {
                        Ok(addr) => Interface::Ipv4(addr),
                        Err(_) => Interface::Name(v.to_string()),
                    });
                }
                "--count" => o.count = Some(number(value(&mut it, a)?, a)?),
                "--timeout" => {
                    let s: f64 = number(value(&mut it, a)?, a)?;
                    o.timeout = Some(
                        Duration::try_from_secs_f64(s)
                            .map_err(|_| format!("--timeout: {s} is not a duration"))?,
                    );
                }
                "--rate" => {
                    let r: f64 = number(value(&mut it, a)?, a)?;
                    if !(r > 0.0 && r.is_finite()) {
                        return Err(
                            "--rate must be a positive number of messages per second".into()
                        );
                    }
                    o.rate_hz = Some(r);
                }
                "--aid" => o.aid = Some(Aid(number(value(&mut it, a)?, a)?)),
                "--adaptation" => o.adaptation = true,
                "--security" => {
                    o.security = match value(&mut it, a)? {
                        "detect" => SecurityMode::Detect,
                        "plain" => SecurityMode::Plain,
                        "signed" => SecurityMode::Signed,
                        v => return Err(format!("--security: `{v}` is not detect|plain|signed")),
                    }
                }
                "--write" => o.write = Some(value(&mut it, a)?.to_string()),
                "--show-drops" => o.show_drops = true,
                "--speed" => {
                    let s: f64 = number(value(&mut it, a)?, a)?;
                    if !(s > 0.0 && s.is_finite()) {
                        return Err("--speed must be positive".into());
                    }
                    o.speed = Some(s);
                }
                "--fast" => o.fast = true,
                "--filter-port" => o.filter_port = Some(number(value(&mut it, a)?, a)?),
                "--trust" => o.trust.push(value(&mut it, a)?.to_string()),
                "--cert" => o.certs.push(value(&mut it, a)?.to_string()),
                "--crl" => o.crls.push(value(&mut it, a)?.to_string()),
                "--max-age" => o.max_age_s = Some(seconds(value(&mut it, a)?, a)?),
                "--max-future" => o.max_future_s = Some(seconds(value(&mut it, a)?, a)?),
                "--sign-cert" => o.sign_cert = Some(value(&mut it, a)?.to_string()),
                "--sign-key" => o.sign_key = Some(value(&mut it, a)?.to_string()),
                "--aids" => o.aids = Some(value(&mut it, a)?.to_string()),
                "--signer" => {
                    o.signer = match value(&mut it, a)? {
                        "auto" => SignerChoice::Auto,
                        "digest" => SignerChoice::Digest,
                        "certificate" => SignerChoice::Certificate,
                        v => {
                            return Err(format!("--signer: `{v}` is not auto|digest|certificate"));
                        }
                    }
                }
                "-h" | "--help" => return Err(USAGE.to_string()),
                flag if flag.starts_with("--") => {
                    return Err(format!("unknown option {flag}\n{USAGE}"));
                }
                file => o.files.push(file.to_string()),
            }
        }
        Ok(o)
    }

    fn port(&self) -> Result<u16, String> {
        self.port.ok_or_else(|| "--port is required".to_string())
    }

    /// The interface to use with a multicast group: the one given, else loopback.
    fn multicast_iface(&self, group: IpAddr) -> Interface {
        match (&self.iface, group) {
            (Some(i), _) => i.clone(),
            (None, IpAddr::V4(_)) => Interface::Ipv4(Ipv4Addr::LOCALHOST),
            (None, IpAddr::V6(_)) => Interface::Name(listen::loopback_name().to_string()),
        }
    }

    /// The sending transport for `send` and `replay`.
    fn sender(&self) -> Result<UdpTransport, String> {
        let port = self.port()?;
        let config = match self.group {
            Some(group) => {
                let local = self.bind.unwrap_or(match group {
                    IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                    IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
                });
                UdpConfig::multicast_sender(group, port, local, Some(self.multicast_iface(group)))
            }
            None => {
                let to = self.to.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
                let local = self.bind.unwrap_or(match to {
                    IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                    IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                });
                let mut c =
                    UdpConfig::unicast(SocketAddr::new(local, 0), Some(SocketAddr::new(to, port)));
                c.interface = self.iface.clone();
                c
            }
        };
        UdpTransport::open(&config).map_err(|e| format!("cannot open UDP socket: {e}"))
    }

    fn single_file(&self, what: &str) -> Result<&str, String> {
        match self.files.as_slice() {
            [f] => Ok(f),
            [] => Err(format!("{what} file missing")),
            _ => Err(format!("exactly one {what} file expected")),
        }
    }
}

/// The verifier `listen` uses when trust anchors are given.
pub(super) fn verifier(o: &Options) -> Result<Option<Verifier>, String> {
    if o.trust.is_empty() {
        if !o.certs.is_empty() || !o.crls.is_empty() {
            return Err("--cert and --crl need at least one --trust anchor".into());
        }
        return Ok(None);
    }
    let v = build_verifier(
        &read_inputs(&o.trust, "--trust")?,
        &read_inputs(&o.certs, "--cert")?,
        &read_inputs(&o.crls, "--crl")?,
        crate::text::now(),
        o.max_age_s,
        o.max_future_s,
        false,
    )?;
    Ok(Some(v))
}

/// The signer `send` uses when a key is given.
pub(super) fn signer(o: &Options) -> Result<Option<SpduSigner>, String> {
    match (&o.sign_cert, &o.sign_key) {
        (Some(c), Some(k)) => crate::pki::load_signer(c, k).map(Some),
        (None, None) => Ok(None),
        _ => Err("--sign-cert and --sign-key go together".into()),
    }
}

pub(super) fn frame(o: &Options, aid: Aid, payload: &[u8]) -> Result<Vec<u8>, String> {
    let packet = Repr::new(aid, payload)
        .to_vec()
        .map_err(|e| format!("DSMP: {e}"))?;
    if o.adaptation {
        let mut v = vec![dsmp::ADAPTATION_DSMP];
        v.extend(packet);
        Ok(v)
    } else {
        Ok(packet)
    }
}

pub(super) fn sleep_until(t: Instant) {
    let now = Instant::now();
    if t > now {
        std::thread::sleep(t - now);
    }
}
