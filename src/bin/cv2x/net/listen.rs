//! `cv2x listen`: receive DSMP packets, verify and decode what they carry, one JSON line each.
use super::*;

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
        v["generation_time"] = json!(crate::text::rfc3339(Timestamp::from_time64(t)));
    }
    if let Some(ok) = r.signature_valid {
        v["signature_valid"] = json!(ok);
    }
    if let Some(h3) = r.certificate_request {
        v["certificate_request"] = json!(hex_lower(&h3));
    }
    v
}

pub(super) fn loopback_name() -> &'static str {
    if cfg!(any(target_os = "macos", target_os = "freebsd")) {
        "lo0"
    } else {
        "lo"
    }
}

pub(super) fn listen(o: &Options) -> Result<ExitCode, String> {
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
            "time": crate::text::rfc3339(timestamp(meta.time)),
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
