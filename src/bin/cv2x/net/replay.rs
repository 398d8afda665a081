//! `cv2x replay`: send the UDP payloads of a pcap / pcapng capture with their recorded timing.
use super::*;

pub(super) fn replay(o: &Options) -> Result<ExitCode, String> {
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
