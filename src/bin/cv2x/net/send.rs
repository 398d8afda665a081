//! `cv2x send`: send the messages of a JSON-lines file as DSMP packets, signed if asked.
use super::*;

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
            Some(hex) => crate::text::hex(hex)
                .ok()
                .ok_or_else(|| format!("{path}:{n}: `uper_hex` is not hex"))?,
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

pub(super) fn send(o: &Options) -> Result<ExitCode, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
