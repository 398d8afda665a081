//! PLATOON — platooning (T/CSAE 157-2020 CLPMM; the service the standard calls cooperative
//! platooning management).
//!
//! **State machine** of the ego ([`PlatoonState`]):
//! - *free* → *requesting* on [`Command::JoinPlatoon`]: the platoon is the one named, or the
//!   nearest whose leader is ahead within [`PlatoonConfig::join_range_m`] (300 m), drives the
//!   ego's way (within 45°) and is open with room (`openToJoin`, members + joining below
//!   `capacity`). The ego sends CLPMM `free-vehicle` / `askForJoining` with the platoon's id.
//! - *requesting* → *joining* when the leader lists the ego among the vehicles joining,
//!   → *member* when it lists it among the members; → *refused* when no leader of that
//!   platoon takes it within [`PlatoonConfig::join_timeout_s`] (10 s), reported for 3 s, then
//!   *free*. Messages of another platoon (another `pid`) are never taken for the one asked. A
//!   platoon named by its id is joined even when its leader is not tracked.
//! - *member* (follower, or tail when last in the member list): sends `follower`/`tail` /
//!   `following`. → *leaving* on [`Command::LeavePlatoon`] (sends `askForLeaving`, then
//!   `leaving` once the leader lists it among the vehicles leaving); → *free* when the leader
//!   no longer lists it, when the leader begins to dismiss the platoon, or when the leader has
//!   not been heard for [`PlatoonConfig::leader_timeout_ms`] (3 s).
//! - *leaving* → *free* when the leader no longer lists it as a member, at the latest after
//!   [`PlatoonConfig::leave_timeout_s`] (5 s).
//! - [`Command::LeadPlatoon`] makes the ego a leader (*member*, role leader): it sends its
//!   member lists (itself first), admits a vehicle asking to join its platoon while open with
//!   room (listed as joining for one message, then as member), moves a member asking to leave
//!   to the leaving list and then drops it, and drops a member not heard for 3 s.
//!   [`Command::LeavePlatoon`] dismisses the platoon (`beginToDissmiss`, then *free*).
//!
//! The ego's CLPMM goes out every [`PlatoonConfig::send_interval_ms`] (500 ms) and at once on a
//! change of state; once more (`free-vehicle` / `navigating`) when it becomes free.
//!
//! **Follower advice**: the vehicle ahead is the member before the ego in the leader's list;
//! its fused track (by its BSM id) gives the bumper-to-bumper gap along the ego's heading. The
//! gap to keep is `standstill + time gap × ego speed` (5 m + 0.8 s, [`PlatoonConfig`]); the
//! advised speed is the vehicle ahead's speed plus 0.3/s × (gap − gap to keep), at least 0.
//! **Advisory** ([`Guidance::Platoon`]: state, role, position in the list, members, gap, gap to
//! keep, advised speed); a **warning** when the gap is under half the gap to keep. Target: the
//! vehicle ahead when tracked, else the leader's position.
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext};
use super::guidance::{Guidance, PlatoonState};
use super::road::relative_to_ego;
use super::{AppId, Command, Level, Target, Warning};
use crate::math::{abs, hypot};
use crate::time::Timestamp;
use crate::world::day2::{
    Membership, OutPlatoon, Outgoing, PlatoonId, PlatoonReport, PlatoonRole, PlatoonStatus,
};

/// PLATOON thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlatoonConfig {
    /// Time gap to keep to the vehicle ahead, s (0.8).
    pub time_gap_s: f64,
    /// Gap to keep at standstill, m (5).
    pub standstill_gap_m: f64,
    /// Speed advice per metre of gap error, 1/s (0.3).
    pub gain_per_s: f64,
    /// A platoon to join must lead within this distance ahead, m (300).
    pub join_range_m: f64,
    /// An unanswered join request is refused after this, s (10).
    pub join_timeout_s: f64,
    /// Leaving ends after this at the latest, s (5).
    pub leave_timeout_s: f64,
    /// A leader not heard for this long has gone, ms (3000).
    pub leader_timeout_ms: i64,
    /// Interval of the ego's CLPMM, ms (500).
    pub send_interval_ms: i64,
}

impl Default for PlatoonConfig {
    fn default() -> Self {
        PlatoonConfig {
            time_gap_s: 0.8,
            standstill_gap_m: 5.0,
            gain_per_s: 0.3,
            join_range_m: 300.0,
            join_timeout_s: 10.0,
            leave_timeout_s: 5.0,
            leader_timeout_ms: 3000,
            send_interval_ms: 500,
        }
    }
}

/// Where the ego stands.
#[derive(Debug, Clone, PartialEq, Default)]
enum State {
    #[default]
    Free,
    Requesting {
        platoon: Option<PlatoonId>,
        leader: Option<[u8; 8]>,
        since: Timestamp,
    },
    Following {
        platoon: PlatoonId,
        leader: [u8; 8],
        joining: bool,
    },
    Leaving {
        platoon: PlatoonId,
        leader: [u8; 8],
        since: Timestamp,
    },
    Leading {
        platoon: PlatoonId,
        membership: Membership,
        dismissing: bool,
    },
    Refused {
        since: Timestamp,
    },
}

/// The PLATOON application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Platoon {
    /// Thresholds.
    pub config: PlatoonConfig,
    state: State,
    last_sent: Option<Timestamp>,
    changed: bool,
    announce_free: bool,
}

fn fresh(cx: &CoopContext<'_>, r: &PlatoonReport, max_ms: i64) -> bool {
    cx.now.micros_since(r.received) <= max_ms * 1000
}

impl Platoon {
    fn set(&mut self, s: State) {
        if core::mem::discriminant(&s) != core::mem::discriminant(&self.state) {
            self.changed = true;
            if matches!(s, State::Free) {
                self.announce_free = true;
            }
        }
        self.state = s;
    }

    /// The leader of the platoon to join: named, or the nearest open one ahead.
    fn find_leader(&self, cx: &CoopContext<'_>, pid: Option<PlatoonId>) -> Option<[u8; 8]> {
        let c = &self.config;
        cx.day2
            .platoons
            .reports()
            .iter()
            .filter(|r| r.role == PlatoonRole::Leader && fresh(cx, r, c.leader_timeout_ms))
            .filter(|r| pid.is_none_or(|p| p == r.platoon))
            .filter(|r| {
                r.membership
                    .as_ref()
                    .is_some_and(|m| m.open && m.has_room())
            })
            .filter_map(|r| {
                let Some(o) = cx.object_of(&r.sender) else {
                    // A platoon named by its id is taken even when its leader is not tracked.
                    return pid.is_some().then_some((r.sender, f64::MAX));
                };
                let p = [o.position_enu.x, o.position_enu.y];
                let (along, lat) = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p);
                let same_way = o.speed_mps < 1.0
                    || abs(crate::geo::wrap_deg(o.heading_deg - cx.ego.heading_deg)) <= 45.0;
                let d = hypot(along, lat);
                (along > 0.0 && d <= c.join_range_m && same_way).then_some((r.sender, d))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id)
    }

    fn commands(&mut self, cx: &CoopContext<'_>) {
        let commands = cx.commands;
        for cmd in commands {
            match cmd {
                Command::JoinPlatoon { platoon } => {
                    if matches!(
                        self.state,
                        State::Free | State::Refused { .. } | State::Requesting { .. }
                    ) {
                        self.set(State::Requesting {
                            platoon: *platoon,
                            leader: None,
                            since: cx.now,
                        });
                        self.changed = true;
                    }
                }
                Command::LeavePlatoon => match &mut self.state {
                    State::Following {
                        platoon, leader, ..
                    } => {
                        let (platoon, leader) = (*platoon, *leader);
                        self.set(State::Leaving {
                            platoon,
                            leader,
                            since: cx.now,
                        });
                    }
                    State::Requesting { .. } => self.set(State::Free),
                    State::Leading { dismissing, .. } => {
                        *dismissing = true;
                        self.changed = true;
                    }
                    _ => {}
                },
                Command::LeadPlatoon { platoon, capacity } => {
                    if matches!(self.state, State::Free | State::Refused { .. }) {
                        let me = cx.ego_id.map(|id| alloc::vec![id]).unwrap_or_default();
                        self.set(State::Leading {
                            platoon: *platoon,
                            membership: Membership {
                                members: me,
                                joining: Vec::new(),
                                leaving: Vec::new(),
                                capacity: (*capacity).clamp(1, 32),
                                open: true,
                            },
                            dismissing: false,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn step(&mut self, cx: &CoopContext<'_>) {
        let c = self.config;
        let ego = cx.ego_id;
        let leader_report = |id: &[u8; 8]| {
            cx.day2
                .platoons
                .report(id)
                .filter(|r| fresh(cx, r, c.leader_timeout_ms))
        };
        match self.state.clone() {
            State::Free => {}
            State::Refused { since } => {
                if cx.now.seconds_since(since) > 3.0 {
                    self.state = State::Free;
                }
            }
            State::Requesting {
                platoon,
                leader,
                since,
            } => {
                let leader = leader.or_else(|| self.find_leader(cx, platoon));
                let report = leader.as_ref().and_then(&leader_report);
                let listed = report.and_then(|r| {
                    let m = r.membership.as_ref()?;
                    let e = ego?;
                    Some((m.members.contains(&e), m.joining.contains(&e), r.platoon))
                });
                match (leader, listed) {
                    (Some(l), Some((true, _, p))) => self.set(State::Following {
                        platoon: p,
                        leader: l,
                        joining: false,
                    }),
                    (Some(l), Some((false, true, p))) => self.set(State::Following {
                        platoon: p,
                        leader: l,
                        joining: true,
                    }),
                    _ if cx.now.seconds_since(since) > c.join_timeout_s => {
                        self.set(State::Refused { since: cx.now });
                    }
                    _ => {
                        self.state = State::Requesting {
                            platoon: platoon.or(report.map(|r| r.platoon)),
                            leader,
                            since,
                        };
                    }
                }
            }
            State::Following {
                platoon,
                leader,
                joining,
            } => {
                let report = leader_report(&leader).filter(|r| r.platoon == platoon);
                let m = report.and_then(|r| {
                    (r.status != PlatoonStatus::Dismissing)
                        .then_some(r.membership.as_ref())
                        .flatten()
                });
                match (m, ego) {
                    (Some(m), Some(e)) if m.members.contains(&e) => {
                        if joining {
                            self.set(State::Following {
                                platoon,
                                leader,
                                joining: false,
                            });
                            self.changed = true;
                        }
                    }
                    (Some(m), Some(e)) if m.joining.contains(&e) => {}
                    _ => self.set(State::Free),
                }
            }
            State::Leaving {
                platoon,
                leader,
                since,
            } => {
                let still = leader_report(&leader)
                    .filter(|r| r.platoon == platoon)
                    .and_then(|r| r.membership.as_ref())
                    .zip(ego)
                    .is_some_and(|(m, e)| m.members.contains(&e));
                if !still || cx.now.seconds_since(since) > c.leave_timeout_s {
                    self.set(State::Free);
                }
            }
            State::Leading {
                platoon,
                mut membership,
                dismissing,
            } => {
                if dismissing {
                    // One message of the dismissal has gone out: then free.
                    if !self.changed && self.last_sent.is_some() {
                        self.set(State::Free);
                    }
                    return;
                }
                self.lead(cx, platoon, &mut membership);
                self.state = State::Leading {
                    platoon,
                    membership,
                    dismissing,
                };
            }
        }
    }

    /// The leader's bookkeeping: admissions, departures, silent members.
    fn lead(&mut self, cx: &CoopContext<'_>, platoon: PlatoonId, m: &mut Membership) {
        let timeout = self.config.leader_timeout_ms;
        let before = m.clone();
        // Joining for one message, then members.
        let joined: Vec<[u8; 8]> = core::mem::take(&mut m.joining);
        for id in joined {
            if !m.members.contains(&id) && m.members.len() < usize::from(m.capacity) {
                m.members.push(id);
            }
        }
        m.leaving.clear();
        let ego = cx.ego_id;
        for r in cx.day2.platoons.reports() {
            if r.platoon != platoon || Some(r.sender) == ego || !fresh(cx, r, timeout) {
                continue;
            }
            match r.status {
                PlatoonStatus::AskForJoining
                    if m.open
                        && !m.members.contains(&r.sender)
                        && !m.joining.contains(&r.sender)
                        && m.has_room() =>
                {
                    m.joining.push(r.sender);
                }
                PlatoonStatus::AskForLeaving | PlatoonStatus::Leaving => {
                    if let Some(i) = m.index_of(&r.sender) {
                        m.members.remove(i);
                        m.leaving.push(r.sender);
                    }
                }
                _ => {}
            }
        }
        // Members not heard from leave the list (the leader itself stays first).
        let reports = cx.day2.platoons.reports();
        m.members.retain(|id| {
            Some(*id) == ego
                || reports
                    .iter()
                    .any(|r| r.sender == *id && r.platoon == platoon && fresh(cx, r, timeout))
        });
        if *m != before {
            self.changed = true;
        }
    }

    fn send(&mut self, cx: &mut CoopContext<'_>) {
        let due = self.changed
            || self
                .last_sent
                .is_none_or(|t| cx.now.micros_since(t) >= self.config.send_interval_ms * 1000);
        if !due {
            return;
        }
        let ego = cx.ego_id;
        let out = match &self.state {
            State::Free | State::Refused { .. } => {
                if !self.announce_free {
                    return;
                }
                self.announce_free = false;
                OutPlatoon {
                    platoon: [0; 17],
                    role: PlatoonRole::Free,
                    status: PlatoonStatus::Navigating,
                    membership: None,
                }
            }
            State::Requesting { platoon, .. } => OutPlatoon {
                platoon: platoon.unwrap_or([0; 17]),
                role: PlatoonRole::Free,
                status: PlatoonStatus::AskForJoining,
                membership: None,
            },
            State::Following {
                platoon,
                leader,
                joining,
            } => {
                let last = cx
                    .day2
                    .platoons
                    .report(leader)
                    .and_then(|r| r.membership.as_ref())
                    .and_then(|m| m.members.last().copied());
                OutPlatoon {
                    platoon: *platoon,
                    role: if last.is_some() && last == ego {
                        PlatoonRole::Tail
                    } else {
                        PlatoonRole::Follower
                    },
                    status: if *joining {
                        PlatoonStatus::Joining
                    } else {
                        PlatoonStatus::Following
                    },
                    membership: None,
                }
            }
            State::Leaving {
                platoon, leader, ..
            } => {
                let listed_leaving = cx
                    .day2
                    .platoons
                    .report(leader)
                    .and_then(|r| r.membership.as_ref())
                    .zip(ego)
                    .is_some_and(|(m, e)| m.leaving.contains(&e));
                OutPlatoon {
                    platoon: *platoon,
                    role: PlatoonRole::Follower,
                    status: if listed_leaving {
                        PlatoonStatus::Leaving
                    } else {
                        PlatoonStatus::AskForLeaving
                    },
                    membership: None,
                }
            }
            State::Leading {
                platoon,
                membership,
                dismissing,
            } => OutPlatoon {
                platoon: *platoon,
                role: PlatoonRole::Leader,
                status: if *dismissing {
                    PlatoonStatus::Dismissing
                } else {
                    PlatoonStatus::Navigating
                },
                membership: Some(membership.clone()),
            },
        };
        if cx.ego_id.is_some() && cx.outbox.push(Outgoing::Platoon(out)) {
            self.last_sent = Some(cx.now);
            self.changed = false;
        }
    }

    fn advise(&self, cx: &CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = &self.config;
        let (state, platoon, leader) = match &self.state {
            State::Free => return,
            State::Refused { .. } => (PlatoonState::Refused, None, None),
            State::Requesting {
                platoon, leader, ..
            } => (PlatoonState::Requesting, *platoon, *leader),
            State::Following {
                platoon,
                leader,
                joining,
            } => (
                if *joining {
                    PlatoonState::Joining
                } else {
                    PlatoonState::Member
                },
                Some(*platoon),
                Some(*leader),
            ),
            State::Leaving {
                platoon, leader, ..
            } => (PlatoonState::Leaving, Some(*platoon), Some(*leader)),
            State::Leading {
                platoon,
                membership,
                dismissing,
            } => {
                let state = if *dismissing {
                    PlatoonState::Leaving
                } else {
                    PlatoonState::Member
                };
                let target = cx.place(&[b"platoon", platoon], Some(&cx.ego_wgs84));
                let mut w = cx.warning(AppId::Platoon, Level::Advisory, target);
                w.guidance = Some(Guidance::Platoon {
                    state,
                    role: PlatoonRole::Leader,
                    index: Some(0),
                    members: u8::try_from(membership.members.len()).unwrap_or(u8::MAX),
                    gap_m: None,
                    target_gap_m: None,
                    speed_mps: None,
                });
                out.push(w);
                return;
            }
        };
        let membership = leader
            .and_then(|l| cx.day2.platoons.report(&l))
            .and_then(|r| r.membership.as_ref());
        let index = membership.zip(cx.ego_id).and_then(|(m, e)| m.index_of(&e));
        let members = membership.map_or(0, |m| u8::try_from(m.members.len()).unwrap_or(u8::MAX));
        let role = match (index, membership) {
            (Some(i), Some(m)) if i + 1 == m.members.len() => PlatoonRole::Tail,
            (Some(_), _) => PlatoonRole::Follower,
            _ => PlatoonRole::Free,
        };
        // The vehicle ahead: the member before the ego (the leader when the ego is second).
        let ahead = index
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| membership.and_then(|m| m.members.get(i)))
            .and_then(|id| cx.object_of(id));
        let mut level = Level::Advisory;
        let (mut gap, mut keep, mut speed) = (None, None, None);
        if let (Some(o), PlatoonState::Member | PlatoonState::Joining) = (ahead, state) {
            let p = [o.position_enu.x, o.position_enu.y];
            let (along, _) = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p);
            let len = o.size.map_or(4.5, |s| s.length_m.clamp(1.0, 30.0));
            let g = along - cx.ego.length_m.max(1.0) / 2.0 - len / 2.0;
            let k = c.standstill_gap_m + c.time_gap_s * cx.ego.speed_mps;
            let v = (o.speed_mps + c.gain_per_s * (g - k)).max(0.0);
            if g.is_finite() && v.is_finite() {
                if g < 0.5 * k {
                    level = Level::Warning;
                }
                gap = Some(g);
                keep = Some(k);
                speed = Some(v);
            }
        }
        let target = match ahead {
            Some(o) => Target::Object {
                track_id: o.id,
                position_enu: [o.position_enu.x, o.position_enu.y],
            },
            None => {
                let at = leader
                    .and_then(|l| cx.object_of(&l))
                    .map(|o| o.position_wgs84)
                    .unwrap_or(cx.ego_wgs84);
                cx.place(&[b"platoon", &platoon.unwrap_or([0; 17])], Some(&at))
            }
        };
        let mut w = cx.warning(AppId::Platoon, level, target);
        w.distance_m = gap;
        w.guidance = Some(Guidance::Platoon {
            state,
            role,
            index: index.and_then(|i| u8::try_from(i).ok()),
            members,
            gap_m: gap,
            target_gap_m: keep,
            speed_mps: speed,
        });
        out.push(w);
    }
}

impl CoopApp for Platoon {
    fn id(&self) -> AppId {
        AppId::Platoon
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        self.commands(cx);
        self.step(cx);
        self.send(cx);
        self.advise(cx, out);
    }
}
