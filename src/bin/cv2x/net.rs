//! `cv2x listen`, `cv2x send` and `cv2x replay`: DSMP over UDP on the command line.
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

use crate::security::{build_verifier, read_inputs, timestamp};

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
        "listen" => listen(&opts),
        "send" => send(&opts),
        "replay" => replay(&opts),
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
struct Options {
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
enum SignerChoice {
    /// The whole certificate once a second, the digest in between.
    #[default]
    Auto,
    /// Always the digest.
    Digest,
    /// Always the certificate.
    Certificate,
}

fn seconds(s: &str, flag: &str) -> Result<f64, String> {
    crate::security::seconds(s).map_err(|e| format!("{flag}: {e}"))
}

pub(crate) fn value<'a>(
    it: &mut impl Iterator<Item = &'a String>,
    flag: &str,
) -> Result<&'a str, String> {
    it.next()
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value"))
}

fn number<T: std::str::FromStr>(s: &str, flag: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("{flag}: `{s}` is not a valid value"))
}

fn ip(s: &str, flag: &str) -> Result<IpAddr, String> {
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
            (None, IpAddr::V6(_)) => Interface::Name(loopback_name().to_string()),
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
fn verifier(o: &Options) -> Result<Option<Verifier>, String> {
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
        crate::security::now(),
        o.max_age_s,
        o.max_future_s,
        false,
    )?;
    Ok(Some(v))
}

/// The signer `send` uses when a key is given.
fn signer(o: &Options) -> Result<Option<SpduSigner>, String> {
    match (&o.sign_cert, &o.sign_key) {
        (Some(c), Some(k)) => crate::pki::load_signer(c, k).map(Some),
        (None, None) => Ok(None),
        _ => Err("--sign-cert and --sign-key go together".into()),
    }
}

/// The `security` member of a listen line for a verified (or failed) SPDU.
fn report_json(r: &Report<'_>) -> Value {
    let mut v = json!({ "result": r.code() });
    if let Some(s) = r.signer {
        v["signer"] = json!(hex_lower(&s));
    }
    if let Some(a) = r.aid {
        v["aid"] = json!(a);
    }
    if let Some(t) = r.generation_time {
        v["generation_time"] = json!(crate::security::rfc3339(Timestamp::from_time64(t)));
    }
    if let Some(ok) = r.signature_valid {
        v["signature_valid"] = json!(ok);
    }
    if let Some(h3) = r.certificate_request {
        v["certificate_request"] = json!(hex_lower(&h3));
    }
    v
}

fn loopback_name() -> &'static str {
    if cfg!(any(target_os = "macos", target_os = "freebsd")) {
        "lo0"
    } else {
        "lo"
    }
}

fn listen(o: &Options) -> Result<ExitCode, String> {
    let port = o.port()?;
    let config = match o.group {
        Some(group) => {
            let mut c = UdpConfig::multicast_receiver(group, port, Some(o.multicast_iface(group)));
            if let Some(b) = o.bind {
                c.bind = SocketAddr::new(b, port);
            }
            c
        }
        None => {
            let bind = o.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
            let mut c = UdpConfig::unicast(SocketAddr::new(bind, port), None);
            c.interface = o.iface.clone();
            c.reuse = true;
            c
        }
    };
    let mut transport =
        UdpTransport::open(&config).map_err(|e| format!("cannot listen on port {port}: {e}"))?;
    let local = transport
        .local_addr()
        .map_err(|e| format!("local address: {e}"))?;
    let mut writer = match &o.write {
        Some(path) => {
            Some(CaptureWriter::create(path).map_err(|e| format!("cannot create {path}: {e}"))?)
        }
        None => None,
    };
    let mut verifier = verifier(o)?;
    let mut dispatcher = match &o.aids {
        Some(path) => {
            let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let table = AidTable::parse_any(&String::from_utf8_lossy(&text))
                .map_err(|e| format!("{path}: {e}"))?;
            Dispatcher::with_table(&table)
        }
        None => Dispatcher::new(),
    };
    dispatcher.set_security(o.security);
    if o.adaptation {
        dispatcher.set_framing(Framing::Adaptation);
    }
    eprintln!("listening on {local}");
    let deadline = o.timeout.map(|t| Instant::now() + t);
    let mut printed = 0u64;
    let mut buf = vec![0u8; 65_536];
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    loop {
        if o.count.is_some_and(|n| printed >= n) {
            break;
        }
        let wait = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                Some(left)
            }
            None => None,
        };
        let Some(meta) = transport
            .recv(&mut buf, wait)
            .map_err(|e| format!("receive: {e}"))?
        else {
            continue;
        };
        let data = buf.get(..meta.len).unwrap_or(&[]);
        if let (Some(w), Source::Udp(src)) = (writer.as_mut(), meta.source) {
            let since_epoch = meta
                .time
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or(Duration::ZERO);
            w.write_datagram(since_epoch, src, local, data)
                .map_err(|e| format!("capture write: {e}"))?;
        }
        let mut line = json!({
            "time": rfc3339(meta.time),
            "time_source": meta.time_source.name(),
            "source": meta.source.to_string(),
            "len": meta.len,
        });
        match dispatcher.dispatch(data) {
            Ok(d) => {
                line["aid"] = json!(d.aid.0);
                line["class"] = json!(d.class.name());
                line["kind"] = json!(d.kind.name());
                if let Some(ext) = d.extensions {
                    line["extensions"] = ext
                        .iter()
                        .map(|e| json!({"id": e.id, "hex": hex_lower(e.value)}))
                        .collect();
                }
                match (d.kind, verifier.as_mut()) {
                    (PayloadKind::MessageFrame, _) => {
                        line["payload"] = describe_payload(d.aid, d.payload);
                    }
                    (PayloadKind::Spdu, Some(v)) => {
                        let report = v.verify(d.payload, timestamp(meta.time));
                        line["security"] = report_json(&report);
                        line["payload"] = match report.payload {
                            Some(inner) => describe_payload(d.aid, inner),
                            None => json!({ "hex": hex_lower(d.payload) }),
                        };
                    }
                    (PayloadKind::Spdu, None) => {
                        line["security"] = json!({ "result": "not_verified" });
                        line["payload"] = json!({ "hex": hex_lower(d.payload) });
                    }
                }
            }
            Err(e) => {
                if !o.show_drops {
                    continue;
                }
                line["dropped"] = json!(e.to_string());
                line["hex"] = json!(hex_lower(data));
            }
        }
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            crate::out::finish(&e);
        }
        if line.get("dropped").is_none() {
            printed += 1;
        }
    }
    if let Some(w) = writer {
        w.into_inner().map_err(|e| format!("capture write: {e}"))?;
    }
    let c = dispatcher.counters();
    eprintln!(
        "{}",
        json!({"received": c.packets, "dispatched": c.dispatched, "unknown_aid": c.unknown_aid,
               "malformed": c.malformed + c.unsupported_version + c.not_dsmp})
    );
    match o.count {
        Some(n) if printed < n => {
            eprintln!("cv2x listen: {printed} of {n} messages before the timeout");
            Ok(ExitCode::FAILURE)
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Reads the lines to send: (line number, AID, UPER bytes).
fn load_messages(
    path: &str,
    aid_override: Option<Aid>,
) -> Result<Vec<(usize, Aid, Vec<u8>)>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{n}: not JSON: {e}"))?;
        let v = vector_line(v);
        if v.get("expect").and_then(Value::as_str) == Some("reject") {
            continue;
        }
        let bytes = match v.get("uper_hex").and_then(Value::as_str) {
            Some(hex) => {
                from_hex(hex).ok_or_else(|| format!("{path}:{n}: `uper_hex` is not hex"))?
            }
            None => {
                let ty = v
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("MessageFrame");
                let jer = v
                    .get("jer")
                    .ok_or_else(|| format!("{path}:{n}: neither `uper_hex` nor `jer`"))?;
                cv2x::msg::Standard::Csae53_2020
                    .encode_named(ty, jer)
                    .map_err(|e| format!("{path}:{n}: {e}"))?
                    .ok_or_else(|| format!("{path}:{n}: unknown type `{ty}`"))?
            }
        };
        let aid = match aid_override {
            Some(a) => a,
            None => line_aid(&v).ok_or_else(|| {
                format!(
                    "{path}:{n}: no AID known for this message; give `aid` in the line or --aid"
                )
            })?,
        };
        out.push((n, aid, bytes));
    }
    Ok(out)
}

/// A line in the vector format as is; a plain JER line (a MessageFrame as `cv2x decode` prints
/// it, with none of `type`, `uper_hex`, `jer`) as the vector line of that frame.
fn vector_line(v: Value) -> Value {
    if ["type", "uper_hex", "jer"]
        .iter()
        .any(|k| v.get(k).is_some())
    {
        v
    } else {
        json!({ "type": "MessageFrame", "jer": v })
    }
}

/// The AID of a vector line: an explicit `aid`, else the default for its message type.
fn line_aid(v: &Value) -> Option<Aid> {
    if let Some(a) = v.get("aid").and_then(Value::as_u64) {
        return u32::try_from(a).ok().map(Aid);
    }
    let ty = v.get("type").and_then(Value::as_str)?;
    let class = if ty == "MessageFrame" {
        let alt = v
            .get("alt")
            .and_then(Value::as_str)
            .or_else(|| v.get("jer")?.as_object()?.keys().next().map(String::as_str))?;
        match alt {
            "bsmFrame" => MessageClass::Bsm,
            "mapFrame" => MessageClass::Map,
            "rsmFrame" => MessageClass::Rsm,
            "spatFrame" => MessageClass::Spat,
            "rsiFrame" => MessageClass::Rsi,
            _ => MessageClass::from_type_name(v.get("inner_type")?.as_str()?)?,
        }
    } else {
        MessageClass::from_type_name(ty)?
    };
    class.default_aid()
}

fn frame(o: &Options, aid: Aid, payload: &[u8]) -> Result<Vec<u8>, String> {
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

fn send(o: &Options) -> Result<ExitCode, String> {
    let path = o.single_file("JSONL")?;
    let messages = load_messages(path, o.aid)?;
    if messages.is_empty() {
        return Err(format!("{path}: no messages"));
    }
    let mut signer = signer(o)?;
    let packets = match signer {
        // Signed messages are framed as they leave, with their generation time.
        Some(_) => Vec::new(),
        None => messages
            .iter()
            .map(|(n, aid, bytes)| frame(o, *aid, bytes).map_err(|e| format!("{path}:{n}: {e}")))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let mut transport = o.sender()?;
    let total = o.count.unwrap_or(messages.len() as u64);
    let period = Duration::from_secs_f64(1.0 / o.rate_hz.unwrap_or(10.0));
    let start = Instant::now();
    let mut sent = 0u64;
    let mut certificate_sent: Option<Instant> = None;
    for i in 0..usize::try_from(total).unwrap_or(usize::MAX) {
        let due = start + period.mul_f64(sent as f64);
        sleep_until(due);
        let signed;
        let packet = match signer.as_mut() {
            None => &packets[i % packets.len()],
            Some(s) => {
                let (n, aid, bytes) = &messages[i % messages.len()];
                let with_cert = match o.signer {
                    SignerChoice::Certificate => true,
                    SignerChoice::Digest => false,
                    SignerChoice::Auto => {
                        certificate_sent.is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
                    }
                };
                if with_cert {
                    certificate_sent = Some(Instant::now());
                }
                s.set_mode(if with_cert {
                    SignerMode::Certificate
                } else {
                    SignerMode::Digest
                });
                let spdu = s
                    .sign(bytes, u64::from(aid.0), timestamp(SystemTime::now()))
                    .map_err(|e| format!("{path}:{n}: signing: {e}"))?;
                signed = frame(o, *aid, &spdu).map_err(|e| format!("{path}:{n}: {e}"))?;
                &signed
            }
        };
        transport.send(packet).map_err(|e| format!("send: {e}"))?;
        sent += 1;
    }
    eprintln!("{}", json!({"sent": sent}));
    Ok(ExitCode::SUCCESS)
}

fn replay(o: &Options) -> Result<ExitCode, String> {
    let path = o.single_file("capture")?;
    let mut reader = CaptureReader::open(path).map_err(|e| format!("{path}: {e}"))?;
    if let Some(p) = o.filter_port {
        reader = reader.with_port(p);
    }
    let pacing = if o.fast {
        Pacing::AsFastAsPossible
    } else {
        Pacing::Original {
            speed: o.speed.unwrap_or(1.0),
        }
    };
    let mut replayer = Replayer::new(reader, pacing);
    let mut transport = o.sender()?;
    let start = Instant::now();
    let mut sent = 0u64;
    loop {
        match replayer
            .poll(start.elapsed())
            .map_err(|e| format!("{path}: {e}"))?
        {
            Step::Deliver(d) => {
                transport
                    .send(&d.payload)
                    .map_err(|e| format!("send: {e}"))?;
                sent += 1;
            }
            Step::WaitUntil(t) => sleep_until(start + t),
            Step::Done => break,
        }
    }
    let s = replayer.stats();
    eprintln!(
        "{}",
        json!({"sent": sent, "frames": s.frames, "not_udp": s.not_udp, "filtered": s.filtered,
               "fragments": s.fragments, "malformed": s.malformed, "unsupported": s.unsupported})
    );
    Ok(ExitCode::SUCCESS)
}

fn sleep_until(t: Instant) {
    let now = Instant::now();
    if t > now {
        std::thread::sleep(t - now);
    }
}

pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// RFC 3339 UTC with microseconds.
fn rfc3339(t: SystemTime) -> String {
    let d = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    let secs = d.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_micros()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_instants() {
        let t =
            |s: u64, us: u64| SystemTime::UNIX_EPOCH + Duration::from_micros(s * 1_000_000 + us);
        assert_eq!(rfc3339(t(0, 0)), "1970-01-01T00:00:00.000000Z");
        assert_eq!(rfc3339(t(951_782_400, 5)), "2000-02-29T00:00:00.000005Z");
        assert_eq!(
            rfc3339(t(1_700_000_000, 123_456)),
            "2023-11-14T22:13:20.123456Z"
        );
    }

    #[test]
    fn hex_round_trip_and_rejects() {
        assert_eq!(from_hex("00ff7A"), Some(vec![0, 255, 0x7a]));
        assert_eq!(hex_lower(&[0, 255, 0x7a]), "00ff7a");
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }

    #[test]
    fn plain_jer_lines_are_message_frames() {
        let plain: Value = serde_json::from_str(r#"{"spatFrame":{"msgCnt":1}}"#).unwrap();
        let v = vector_line(plain.clone());
        assert_eq!(v["type"], "MessageFrame");
        assert_eq!(v["jer"], plain);
        assert_eq!(line_aid(&v), Some(cv2x::net::aid::SPAT));
        let vector: Value = serde_json::from_str(r#"{"type":"MapData","uper_hex":"00"}"#).unwrap();
        assert_eq!(vector_line(vector.clone()), vector);
    }

    #[test]
    fn aid_of_vector_lines() {
        let v: Value =
            serde_json::from_str(r#"{"type":"MessageFrame","alt":"spatFrame","uper_hex":"00"}"#)
                .unwrap();
        assert_eq!(line_aid(&v), Some(cv2x::net::aid::SPAT));
        let v: Value =
            serde_json::from_str(r#"{"type":"MessageFrame","jer":{"mapFrame":{}}}"#).unwrap();
        assert_eq!(line_aid(&v), Some(cv2x::net::aid::MAP));
        let v: Value = serde_json::from_str(r#"{"type":"BasicSafetyMessage"}"#).unwrap();
        assert_eq!(line_aid(&v), Some(cv2x::net::aid::BSM_ORDINARY_PERIODIC));
        let v: Value = serde_json::from_str(r#"{"type":"SensorSharingMsg"}"#).unwrap();
        assert_eq!(
            line_aid(&v),
            Some(cv2x::net::aid::SSM),
            "the Day II AID in use"
        );
        let v: Value = serde_json::from_str(r#"{"type":"SensorSharingMsg","aid":4000}"#).unwrap();
        assert_eq!(line_aid(&v), Some(Aid(4000)));
    }
}
