//! Recording what the stack knows while a run goes on: MAP lanes, the signal state of each
//! phase the lanes name, fused objects with their covariance, the path histories the ego
//! transmitted, the warnings' life, and the ego's true position when the caller knows it.
//! Everything is converted into one picture frame (a local ENU frame at a chosen origin).
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use nalgebra::Vector3;

use super::{FusedSample, FusedTrack, History, Lane, SignalTrack, WarningLife};
use crate::apps::{Advice, Target, Warning};
use crate::codec::Uper;
use crate::geo::{EnuFrame, GeoError, Wgs84};
use crate::host::{MessageKind, Transmission};
use crate::msg::v2020 as m;
use crate::stack::{Event, Stack, WarningChange};
use crate::time::Timestamp;
use crate::world::convert::{offset_position_deg, position_deg};
use crate::world::{IntersectionKey, Light};

/// Signal phases followed per picture at most.
const MAX_SIGNALS: usize = 8;

#[derive(Debug, Clone)]
struct SignalRec {
    stop: Option<[f64; 2]>,
    samples: Vec<(f64, Option<Light>)>,
    ego_lane: bool,
}

/// What a [`Recorder`] collected, in the picture frame.
#[derive(Debug, Clone, Default)]
pub struct Recording {
    /// MAP lanes (the last geometry of each intersection received).
    pub lanes: Vec<Lane>,
    /// Signal phases of the lanes.
    pub signals: Vec<SignalTrack>,
    /// Fused tracks.
    pub fused: Vec<FusedTrack>,
    /// Path histories the ego transmitted.
    pub histories: Vec<History>,
    /// The ego's true path (when given with [`Recorder::ego_at`]).
    pub ego: Vec<(f64, [f64; 2])>,
    /// Warnings (when given with [`Recorder::event`]).
    pub warnings: Vec<WarningLife>,
    /// The last time recorded, s.
    pub end_s: f64,
}

/// Samples a [`Stack`] into a [`Recording`]: MAP lanes, the signal state of each phase the
/// lanes name, fused objects with their covariance, the path histories the ego transmitted, the
/// warnings' life and the ego's true position, all in one picture frame (a local ENU frame at
/// the origin given).
#[derive(Debug, Clone)]
pub struct Recorder {
    frame: EnuFrame,
    lanes: BTreeMap<IntersectionKey, (Timestamp, Vec<Lane>)>,
    signals: BTreeMap<(IntersectionKey, u8), SignalRec>,
    fused: BTreeMap<u32, Vec<FusedSample>>,
    histories: Vec<History>,
    ego: Vec<(f64, [f64; 2])>,
    warnings: BTreeMap<u32, WarningLife>,
    end_s: f64,
}

pub(super) fn advice_text(a: &Advice) -> String {
    match a {
        Advice::SpeedRange { min_kph, max_kph } => format!("{min_kph:.0}\u{2013}{max_kph:.0} km/h"),
        Advice::KeepSpeed => "keep speed".into(),
        Advice::Stop => "stop".into(),
    }
}

/// What a warning is about or advises, for labels (`track 3`, `30–45 km/h`).
pub(super) fn warning_detail(w: &Warning) -> Option<String> {
    match (w.advice, w.target) {
        (Some(a), _) => Some(advice_text(&a)),
        (None, Target::Object { track_id, .. }) => Some(format!("track {track_id}")),
        _ => None,
    }
}

impl Recorder {
    /// A recorder drawing in the local frame at `origin`.
    pub fn new(origin: Wgs84) -> Result<Recorder, GeoError> {
        Ok(Recorder {
            frame: EnuFrame::new(origin)?,
            lanes: BTreeMap::new(),
            signals: BTreeMap::new(),
            fused: BTreeMap::new(),
            histories: Vec::new(),
            ego: Vec::new(),
            warnings: BTreeMap::new(),
            end_s: 0.0,
        })
    }

    /// The picture frame.
    pub fn frame(&self) -> &EnuFrame {
        &self.frame
    }

    fn local(&self, w: &Wgs84) -> Option<[f64; 2]> {
        self.frame.enu_from_wgs84(w).ok().map(|v| [v.x, v.y])
    }

    /// The ego's true position at `t_s`.
    pub fn ego_at(&mut self, t_s: f64, at: &Wgs84) {
        if let Some(p) = self.local(at) {
            self.ego.push((t_s, p));
            self.end_s = self.end_s.max(t_s);
        }
    }

    /// Samples the stack after a poll at `now` (`t_s` from the start): MAP lanes, signal
    /// state, fused objects, the ego's lane.
    pub fn observe(&mut self, t_s: f64, now: Timestamp, stack: &Stack) {
        self.end_s = self.end_s.max(t_s);
        let world = stack.world();
        for x in world.map().intersections() {
            if self
                .lanes
                .get(&x.key)
                .is_some_and(|(r, _)| *r == x.received)
            {
                continue;
            }
            let frame = self.frame;
            let to_local = |p: &[f64; 2]| {
                let w = x.frame.wgs84_from_enu(&Vector3::new(p[0], p[1], 0.0));
                frame.enu_from_wgs84(&w).ok().map(|v| [v.x, v.y])
            };
            let lanes: Vec<Lane> = x
                .lanes
                .iter()
                .map(|l| Lane {
                    points: l.points.iter().filter_map(to_local).collect(),
                    width_m: l.width_m,
                    stop_line: true,
                })
                .collect();
            // The phases the lanes name, each with the stop line of its first lane.
            for l in &x.lanes {
                let phases = l
                    .connections
                    .iter()
                    .filter_map(|c| c.phase_id)
                    .chain(l.link_phases.iter().copied());
                for ph in phases {
                    if self.signals.len() >= MAX_SIGNALS {
                        break;
                    }
                    let stop = l.points.last().and_then(to_local);
                    self.signals.entry((x.key, ph)).or_insert(SignalRec {
                        stop,
                        samples: Vec::new(),
                        ego_lane: false,
                    });
                }
            }
            self.lanes.insert(x.key, (x.received, lanes));
        }
        if let Some(l) = stack.lane() {
            if let Some(ph) = l.phase_id {
                let stop = self.local(&l.stop_line);
                if let Some(s) = self.signals.get_mut(&(l.intersection, ph)) {
                    s.ego_lane = true;
                    s.stop = stop.or(s.stop);
                }
            }
        }
        let max_age = world.config().matching.spat_max_age_ms;
        for ((key, ph), s) in &mut self.signals {
            let light = match world.spat().signal_for(*key, Some(*ph), now, max_age) {
                crate::world::SignalInput::Fresh(p) => p.light_at(now),
                _ => None,
            };
            if s.samples.last().is_none_or(|l| l.1 != light) {
                s.samples.push((t_s, light));
            }
        }
        for o in stack.objects() {
            let Some(at) = self.local(&o.position_wgs84) else {
                continue;
            };
            let c = &o.position_cov;
            self.fused.entry(o.id).or_default().push(FusedSample {
                t_s,
                at,
                cov: [[c[(0, 0)], c[(0, 1)]], [c[(1, 0)], c[(1, 1)]]],
            });
        }
    }

    /// A message the ego sent at `t_s`: the path history of a BSM (2020 form).
    pub fn transmitted(&mut self, t_s: f64, tx: &Transmission) {
        if tx.kind != MessageKind::Bsm {
            return;
        }
        let Ok(m::MessageFrame::BsmFrame(bsm)) = m::MessageFrame::decode(&tx.uper) else {
            return;
        };
        let Some((lat, lon)) = position_deg(&bsm.pos) else {
            return;
        };
        let mut points: Vec<[f64; 2]> =
            self.local(&Wgs84::new(lat, lon, 0.0)).into_iter().collect();
        if let Some(ph) = bsm
            .safety_ext
            .as_ref()
            .and_then(|e| e.path_history.as_ref())
        {
            for c in &ph.crumb_data {
                if let Some(p) = offset_position_deg(&bsm.pos, &c.llv_offset)
                    .and_then(|(lat, lon)| self.local(&Wgs84::new(lat, lon, 0.0)))
                {
                    points.push(p);
                }
            }
        }
        if points.len() >= 2 {
            self.histories.push(History { t_s, points });
        }
    }

    /// A stack event at `t_s`: the warnings' life (raised, updated, cleared).
    pub fn event(&mut self, t_s: f64, ev: &Event) {
        match ev {
            Event::Warning {
                id,
                change: WarningChange::Raised,
                warning,
            } => {
                self.warnings.insert(
                    *id,
                    WarningLife::raised(
                        *id,
                        warning.app,
                        t_s,
                        warning.level,
                        warning_detail(warning),
                    ),
                );
            }
            Event::Warning {
                id,
                change: WarningChange::Updated,
                warning,
            } => {
                if let Some(w) = self.warnings.get_mut(id) {
                    w.changed(t_s, warning.level, warning_detail(warning));
                }
            }
            Event::WarningCleared { id, .. } => {
                if let Some(w) = self.warnings.get_mut(id) {
                    w.cleared_s = Some(t_s);
                }
            }
            _ => {}
        }
    }

    /// The recording.
    pub fn finish(self) -> Recording {
        let many = self
            .signals
            .keys()
            .map(|k| k.0)
            .collect::<alloc::collections::BTreeSet<_>>()
            .len()
            > 1;
        let any_ego_lane = self.signals.values().any(|s| s.ego_lane);
        let signals = self
            .signals
            .iter()
            .filter(|(_, s)| s.samples.iter().any(|x| x.1.is_some()))
            .map(|((key, ph), s)| SignalTrack {
                name: if many {
                    format!("node {} phase {ph}", key.1)
                } else {
                    format!("phase {ph}")
                },
                samples: s.samples.clone(),
                stop_line: s.stop,
                in_timeline: s.ego_lane || !any_ego_lane,
            })
            .collect();
        let mut warnings: Vec<WarningLife> = self.warnings.into_values().collect();
        warnings.sort_by(|a, b| a.raised_s.total_cmp(&b.raised_s));
        Recording {
            lanes: self.lanes.into_values().flat_map(|(_, l)| l).collect(),
            signals,
            fused: self
                .fused
                .into_iter()
                .map(|(id, samples)| FusedTrack { id, samples })
                .collect(),
            histories: self.histories,
            ego: self.ego,
            warnings,
            end_s: self.end_s,
        }
    }
}

impl crate::testing::scenario::StepObserver for Recorder {
    fn step(&mut self, t_s: f64, now: Timestamp, stack: &Stack, sent: &[Transmission]) {
        self.observe(t_s, now, stack);
        for tx in sent {
            self.transmitted(t_s, tx);
        }
    }
}
