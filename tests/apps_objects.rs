//! Object applications on synthetic fused worlds: a positive and a negative case per
//! application, the NHTSA FCW confirmation cases, noise and non-finite input.
mod apps_common;

use apps_common::{Body, World, ego, first, transitions};
use cv2x::apps::bsw::{Bsw, Lcw};
use cv2x::apps::{
    AppId, Level, ObjectApp, avw::Avw, clw::Clw, dnpw::Dnpw, ebw::Ebw, evw::Evw, fcw::Fcw,
    icw::Icw, lta::Lta, object_apps, tjw::Tjw, vrucw::Vrucw,
};
use cv2x::world::{TurnSignal, VehicleFlags};

const G: f64 = 9.80665;

/// True bumper-to-bumper TTC of the ego (at y = ego.y, heading north, constant speed) behind
/// `lead`, with the lead's current acceleration until it stops, at a probe step: stepped forward
/// in 1 ms steps for at most 30 s.
fn true_ttc(ego: &Body, lead: &Body) -> f64 {
    let mut gap = lead.y - ego.y - ego.length_m / 2.0 - lead.length_m / 2.0;
    let mut v_lead = lead.speed_mps;
    let dt = 1e-3;
    for k in 0..30_000 {
        if gap <= 0.0 {
            return k as f64 * dt;
        }
        let v1 = (v_lead + lead.accel_mps2 * dt).max(0.0);
        gap -= (ego.speed_mps - 0.5 * (v_lead + v1)) * dt;
        v_lead = v1;
    }
    f64::INFINITY
}

/// Runs FCW on the world (on tracks built from the true states, or through the fusion
/// tracker) and returns the true TTC when the first warning was raised about the lead (id 1).
fn fcw_ttc_at_first_warning(world: &World, fused: bool) -> Option<f64> {
    let mut ttcs = Vec::new();
    let mut events = world.run_with(&mut Fcw::default(), |t, e, a| {
        ttcs.push((t, true_ttc(e, &a[0])))
    });
    if fused {
        events = world.run_fused(&mut Fcw::default());
    }
    let t = first(&events, 1, Level::Warning)?;
    ttcs.iter()
        .find(|(s, _)| (*s - t).abs() < 1e-6)
        .map(|(_, ttc)| *ttc)
}

/// The first-warning TTC, the smaller of direct and through fusion.
fn fcw_first_warning_ttc(world: &World) -> Option<f64> {
    let direct = fcw_ttc_at_first_warning(world, false)?;
    let fused = fcw_ttc_at_first_warning(world, true)?;
    eprintln!("first FCW warning at true TTC {direct:.2} s (through fusion {fused:.2} s)");
    Some(direct.min(fused))
}

#[test]
fn fcw_nhtsa_lead_stopped() {
    let world = World::new(ego(20.0), vec![Body::car(1, 0.0, 150.0, 0.0, 0.0)], 8.0);
    let ttc = fcw_first_warning_ttc(&world).expect("no FCW");
    assert!(ttc >= 2.1, "first warning at TTC {ttc}");
    assert!(ttc <= 3.0, "first warning too early at TTC {ttc}");
}

#[test]
fn fcw_nhtsa_lead_decelerating() {
    let lead = Body::car(1, 0.0, 30.0 + 4.65, 0.0, 20.0).with_accel_at(1.0, -0.3 * G);
    let world = World::new(ego(20.0), vec![lead], 6.0);
    let ttc = fcw_first_warning_ttc(&world).expect("no FCW");
    assert!(ttc >= 2.4, "first warning at TTC {ttc}");
}

#[test]
fn fcw_nhtsa_lead_slower() {
    let world = World::new(
        ego(20.0),
        vec![Body::car(1, 0.0, 100.0, 0.0, 32.0 / 3.6)],
        10.0,
    );
    let ttc = fcw_first_warning_ttc(&world).expect("no FCW");
    assert!(ttc >= 2.0, "first warning at TTC {ttc}");
}

#[test]
fn fcw_no_false_alarm_adjacent_lane() {
    let mut parked = Body::car(1, -3.6, 120.0, 0.0, 0.0);
    parked.noise_m = 0.3;
    parked.vel_noise_mps = 0.3;
    let world = World::new(ego(20.0), vec![parked], 8.0);
    let events = world.run(&mut Fcw::default());
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn fcw_same_speed_lead_and_oncoming_are_silent() {
    let lead = Body::car(1, 0.0, 30.0, 0.0, 20.0);
    let oncoming = Body::car(2, -3.5, 200.0, 180.0, 20.0);
    let world = World::new(ego(20.0), vec![lead, oncoming], 8.0);
    assert!(world.run(&mut Fcw::default()).is_empty());
}

#[test]
fn fcw_does_not_flicker_under_noise() {
    let mut lead = Body::car(1, 0.0, 150.0, 0.0, 0.0);
    lead.noise_m = 0.5;
    lead.vel_noise_mps = 0.4;
    let world = World::new(ego(20.0), vec![lead], 6.5);
    let events = world.run(&mut Fcw::default());
    // Off → advisory → warning → alert at most, no toggling back and forth.
    let n = transitions(&events, &world, 1);
    assert!(n <= 3, "{n} transitions");
    assert!(first(&events, 1, Level::Warning).is_some());
}

#[test]
fn fcw_stopped_lead_with_flipping_heading_in_adjacent_lane() {
    // Velocity noise of a stopped car makes its heading jump around; it must not matter.
    let mut parked = Body::car(1, 3.6, 80.0, 0.0, 0.0);
    parked.vel_noise_mps = 0.6;
    let world = World::new(ego(15.0), vec![parked], 6.0);
    let mut all = object_apps();
    for app in all.iter_mut() {
        if matches!(
            app.id(),
            AppId::Fcw | AppId::Tjw | AppId::Ebw | AppId::Icw | AppId::Lta
        ) {
            let events = world.run(app.as_mut());
            assert!(events.is_empty(), "{:?}: {events:?}", app.id());
        }
    }
}

fn flags(f: impl FnOnce(&mut VehicleFlags)) -> VehicleFlags {
    let mut v = VehicleFlags::default();
    f(&mut v);
    v
}

fn raised(world: &World, app: &mut dyn ObjectApp, track: u32, level: Level) -> Option<f64> {
    first(&world.run(app), track, level)
}

fn silent(world: &World, app: &mut dyn ObjectApp) {
    let events = world.run(app);
    assert!(events.is_empty(), "{:?}: {:?}", app.id(), events.first());
}

#[test]
fn icw_one_second_gap_warns_four_seconds_does_not() {
    // Ego reaches y = 50 in 5 s; the crosser reaches x = 0 at 6 s (1 s gap) or 9 s (4 s).
    let near = World::new(ego(10.0), vec![Body::car(1, -60.0, 50.0, 90.0, 10.0)], 6.0);
    let t = raised(&near, &mut Icw::default(), 1, Level::Warning).expect("no ICW");
    assert!(t <= 1.5, "ICW late at {t}");
    let far = World::new(ego(10.0), vec![Body::car(1, -90.0, 50.0, 90.0, 10.0)], 6.0);
    silent(&far, &mut Icw::default());
    // From the right, arriving 0.5 s before the ego.
    let right = World::new(ego(10.0), vec![Body::car(1, 45.0, 50.0, 270.0, 10.0)], 6.0);
    assert!(raised(&right, &mut Icw::default(), 1, Level::Warning).is_some());
}

#[test]
fn icw_crosser_braking_to_stop_is_no_conflict() {
    // Would arrive with the ego, but brakes from the start and stops 30 m short.
    let braking = Body::car(1, -50.0, 50.0, 90.0, 10.0).with_accel_at(0.0, -2.5);
    let mut e = ego(10.0);
    e.y = -30.0;
    let world = World::new(e, vec![braking], 7.0);
    silent(&world, &mut Icw::default());
}

#[test]
fn lta_oncoming_warns_only_for_a_left_turn() {
    let oncoming = || vec![Body::car(1, -3.5, 60.0, 180.0, 12.0)];
    let mut left = World::new(ego(3.0), oncoming(), 4.0);
    left.turn_signal = TurnSignal::Left;
    assert!(raised(&left, &mut Lta::default(), 1, Level::Warning).is_some());
    let mut right = World::new(ego(3.0), oncoming(), 4.0);
    right.turn_signal = TurnSignal::Right;
    silent(&right, &mut Lta::default());
    // Yawing left without a signal is a left turn too.
    let mut yaw = ego(5.0);
    yaw.yaw_rate_dps = -20.0;
    let turning = World::new(yaw, vec![Body::car(1, -3.5, 40.0, 180.0, 12.0)], 2.0);
    assert!(raised(&turning, &mut Lta::default(), 1, Level::Warning).is_some());
}

#[test]
fn lta_silent_when_oncoming_is_far_or_past() {
    let mut far = World::new(ego(3.0), vec![Body::car(1, -3.5, 300.0, 180.0, 12.0)], 5.0);
    far.turn_signal = TurnSignal::Left;
    silent(&far, &mut Lta::default());
    let mut past = World::new(ego(3.0), vec![Body::car(1, -3.5, -10.0, 180.0, 12.0)], 5.0);
    past.turn_signal = TurnSignal::Left;
    silent(&past, &mut Lta::default());
}

#[test]
fn bsw_blind_zone_left_and_right() {
    let left = World::new(ego(20.0), vec![Body::car(1, -3.5, -4.0, 0.0, 20.0)], 3.0);
    assert_eq!(
        raised(&left, &mut Bsw::default(), 1, Level::Warning),
        Some(0.1)
    );
    let right = World::new(ego(20.0), vec![Body::car(1, 3.5, -4.0, 0.0, 20.0)], 3.0);
    assert!(raised(&right, &mut Bsw::default(), 1, Level::Warning).is_some());
}

#[test]
fn bsw_silent_far_behind_two_lanes_over_or_parked() {
    let far = World::new(ego(20.0), vec![Body::car(1, -3.5, -40.0, 0.0, 20.0)], 3.0);
    silent(&far, &mut Bsw::default());
    let two_lanes = World::new(ego(20.0), vec![Body::car(1, -7.5, -3.0, 0.0, 20.0)], 3.0);
    silent(&two_lanes, &mut Bsw::default());
    let parked = World::new(ego(20.0), vec![Body::car(1, 3.5, 20.0, 0.0, 0.0)], 3.0);
    silent(&parked, &mut Bsw::default());
    // A slow car overtaken at 20 m/s more.
    let slow = World::new(ego(25.0), vec![Body::car(1, 3.5, 20.0, 0.0, 5.0)], 3.0);
    silent(&slow, &mut Bsw::default());
}

#[test]
fn lcw_left_signal_warns_right_does_not() {
    let car = || vec![Body::car(1, -3.5, -4.0, 0.0, 20.0)];
    let mut left = World::new(ego(20.0), car(), 3.0);
    left.turn_signal = TurnSignal::Left;
    assert!(raised(&left, &mut Lcw::default(), 1, Level::Warning).is_some());
    let mut right = World::new(ego(20.0), car(), 3.0);
    right.turn_signal = TurnSignal::Right;
    silent(&right, &mut Lcw::default());
    let none = World::new(ego(20.0), car(), 3.0);
    silent(&none, &mut Lcw::default());
}

#[test]
fn lcw_fast_approach_from_behind() {
    let mut w = World::new(ego(20.0), vec![Body::car(1, -3.5, -45.0, 0.0, 30.0)], 2.0);
    w.turn_signal = TurnSignal::Left;
    assert!(raised(&w, &mut Lcw::default(), 1, Level::Warning).is_some());
    // Same speed far behind: no threat.
    let mut w = World::new(ego(20.0), vec![Body::car(1, -3.5, -45.0, 0.0, 20.0)], 2.0);
    w.turn_signal = TurnSignal::Left;
    silent(&w, &mut Lcw::default());
}

#[test]
fn dnpw_oncoming_in_passing_lane() {
    let truck = Body::car(1, 0.0, 30.0, 0.0, 12.0);
    let oncoming = Body::car(2, -3.5, 250.0, 180.0, 20.0);
    let mut w = World::new(ego(20.0), vec![truck.clone(), oncoming.clone()], 3.0);
    w.turn_signal = TurnSignal::Left;
    assert!(raised(&w, &mut Dnpw::default(), 2, Level::Warning).is_some());
    // No signal: no pass intended.
    let w = World::new(ego(20.0), vec![truck.clone(), oncoming], 3.0);
    silent(&w, &mut Dnpw::default());
    // No signal, but already out in the oncoming lane with a car coming on the ego's path.
    let mut out_passing = ego(20.0);
    out_passing.x = -3.5;
    let w = World::new(
        out_passing,
        vec![Body::car(2, -3.5, 200.0, 180.0, 20.0)],
        3.0,
    );
    assert!(raised(&w, &mut Dnpw::default(), 2, Level::Warning).is_some());
    // Oncoming far away.
    let mut w = World::new(
        ego(20.0),
        vec![truck, Body::car(2, -3.5, 700.0, 180.0, 20.0)],
        3.0,
    );
    w.turn_signal = TurnSignal::Left;
    silent(&w, &mut Dnpw::default());
}

#[test]
fn ebw_ahead_braking_warns_oncoming_does_not() {
    let mut lead = Body::car(1, 0.0, 60.0, 0.0, 20.0);
    lead.segments.push(apps_common::Segment {
        at_s: 1.0,
        accel_mps2: -6.0,
        flags: Some(flags(|f| f.hard_braking = true)),
        yaw_rate_dps: None,
        speed_mps: None,
        turn_signal: None,
    });
    let w = World::new(ego(20.0), vec![lead], 4.0);
    let t = raised(&w, &mut Ebw::default(), 1, Level::Warning).expect("no EBW");
    assert!((1.0..=1.4).contains(&t), "EBW at {t}");
    let oncoming = Body::car(1, -3.5, 100.0, 180.0, 20.0)
        .with_accel_at(0.0, -6.0)
        .with_flags(flags(|f| f.hard_braking = true));
    silent(
        &World::new(ego(20.0), vec![oncoming], 4.0),
        &mut Ebw::default(),
    );
    // Braking but behind the ego.
    let behind = Body::car(1, 0.0, -30.0, 0.0, 20.0).with_flags(flags(|f| f.hard_braking = true));
    silent(
        &World::new(ego(20.0), vec![behind], 4.0),
        &mut Ebw::default(),
    );
}

#[test]
fn avw_hazard_ahead_warns_behind_or_oncoming_does_not() {
    let hazard = Body::car(1, 0.0, 200.0, 0.0, 0.0).with_flags(flags(|f| f.hazard_lights = true));
    let w = World::new(ego(20.0), vec![hazard], 4.0);
    assert!(raised(&w, &mut Avw::default(), 1, Level::Warning).is_some());
    let disabled = Body::car(1, 3.5, 100.0, 0.0, 0.0).with_flags(flags(|f| f.disabled = true));
    let w = World::new(ego(20.0), vec![disabled], 2.0);
    assert!(raised(&w, &mut Avw::default(), 1, Level::Warning).is_some());
    let behind = Body::car(1, 0.0, -50.0, 0.0, 0.0).with_flags(flags(|f| f.hazard_lights = true));
    silent(
        &World::new(ego(20.0), vec![behind], 3.0),
        &mut Avw::default(),
    );
    let oncoming =
        Body::car(1, -3.5, 150.0, 180.0, 10.0).with_flags(flags(|f| f.hazard_lights = true));
    silent(
        &World::new(ego(20.0), vec![oncoming], 3.0),
        &mut Avw::default(),
    );
    let plain = Body::car(1, 0.0, 100.0, 0.0, 0.0);
    silent(
        &World::new(ego(20.0), vec![plain], 3.0),
        &mut Avw::default(),
    );
}

#[test]
fn clw_ahead_warns_behind_does_not() {
    let skid = Body::car(1, 0.0, 100.0, 0.0, 15.0).with_flags(flags(|f| f.control_loss = true));
    let w = World::new(ego(20.0), vec![skid], 2.0);
    assert!(raised(&w, &mut Clw::default(), 1, Level::Warning).is_some());
    let behind = Body::car(1, 0.0, -60.0, 0.0, 15.0).with_flags(flags(|f| f.control_loss = true));
    silent(
        &World::new(ego(20.0), vec![behind], 3.0),
        &mut Clw::default(),
    );
    let ok = Body::car(1, 0.0, 100.0, 0.0, 15.0);
    silent(&World::new(ego(20.0), vec![ok], 3.0), &mut Clw::default());
}

#[test]
fn vrucw_crossing_pedestrian_seen_only_by_roadside() {
    let mut ped = Body::pedestrian(1, 5.0, 40.0, 270.0, 1.5);
    ped.v2x_only = true;
    ped.noise_m = 0.2;
    let w = World::new(ego(10.0), vec![ped], 4.0);
    let t = raised(&w, &mut Vrucw::default(), 1, Level::Warning).expect("no VRUCW");
    assert!(t <= 0.5, "VRUCW late at {t}");
}

#[test]
fn vrucw_silent_for_sidewalk_or_cleared_crossing() {
    let walking = Body::pedestrian(1, 4.0, 40.0, 0.0, 1.5);
    silent(
        &World::new(ego(10.0), vec![walking], 5.0),
        &mut Vrucw::default(),
    );
    // Crosses and clears the lane before the ego gets there.
    let early = Body::pedestrian(1, 2.0, 40.0, 270.0, 1.5);
    silent(
        &World::new(ego(10.0), vec![early], 5.0),
        &mut Vrucw::default(),
    );
    // Standing on the kerb.
    let mut kerb = Body::pedestrian(1, 3.0, 30.0, 270.0, 0.0);
    kerb.vel_noise_mps = 0.15;
    silent(
        &World::new(ego(10.0), vec![kerb], 4.0),
        &mut Vrucw::default(),
    );
}

#[test]
fn tjw_queue_ahead_warns_moving_traffic_does_not() {
    let queue = vec![
        Body::car(1, 0.0, 300.0, 0.0, 0.0),
        Body::car(2, 0.0, 307.0, 0.0, 0.0),
        Body::car(3, -3.5, 303.0, 0.0, 1.0),
    ];
    let w = World::new(ego(25.0), queue, 6.0);
    assert!(raised(&w, &mut Tjw::default(), 1, Level::Warning).is_some());
    let moving = vec![
        Body::car(1, 0.0, 300.0, 0.0, 25.0),
        Body::car(2, 0.0, 307.0, 0.0, 25.0),
        Body::car(3, -3.5, 303.0, 0.0, 25.0),
    ];
    silent(&World::new(ego(25.0), moving, 6.0), &mut Tjw::default());
    let oncoming_queue = vec![
        Body::car(1, -3.5, 200.0, 180.0, 2.0),
        Body::car(2, -3.5, 207.0, 180.0, 2.0),
    ];
    silent(
        &World::new(ego(25.0), oncoming_queue, 6.0),
        &mut Tjw::default(),
    );
}

#[test]
fn evw_approaching_from_behind_warns_leaving_does_not() {
    let ev = Body::car(1, 0.0, -150.0, 0.0, 30.0).with_flags(flags(|f| f.emergency = true));
    let w = World::new(ego(15.0), vec![ev], 4.0);
    assert!(raised(&w, &mut Evw::default(), 1, Level::Warning).is_some());
    let leaving = Body::car(1, 0.0, 50.0, 0.0, 30.0).with_flags(flags(|f| f.emergency = true));
    silent(
        &World::new(ego(15.0), vec![leaving], 4.0),
        &mut Evw::default(),
    );
    // Following at the ego's speed 40 m behind: make way.
    let following = Body::car(1, 0.0, -40.0, 0.0, 15.0).with_flags(flags(|f| f.emergency = true));
    let w = World::new(ego(15.0), vec![following], 2.0);
    assert!(raised(&w, &mut Evw::default(), 1, Level::Warning).is_some());
    // Falling back behind.
    let falling_back =
        Body::car(1, 0.0, -40.0, 0.0, 10.0).with_flags(flags(|f| f.emergency = true));
    silent(
        &World::new(ego(15.0), vec![falling_back], 2.0),
        &mut Evw::default(),
    );
    let no_siren = Body::car(1, 0.0, -150.0, 0.0, 30.0);
    silent(
        &World::new(ego(15.0), vec![no_siren], 4.0),
        &mut Evw::default(),
    );
}

/// Largest number of warnings raised in one step.
fn most_per_step(events: &[apps_common::Event]) -> usize {
    events
        .iter()
        .map(|e| {
            events
                .iter()
                .filter(|o| (o.t_s - e.t_s).abs() < 1e-6)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn one_vehicle_seen_twice_gives_one_warning() {
    // The same stopped car as two tracks (roadside and onboard not merged).
    let a = Body::car(1, 0.0, 100.0, 0.0, 0.0);
    let b = Body::car(2, 0.3, 100.5, 0.0, 0.0);
    let w = World::new(ego(20.0), vec![a, b], 5.0);
    assert_eq!(most_per_step(&w.run(&mut Fcw::default())), 1);
    let a = Body::car(1, -3.5, -4.0, 0.0, 20.0);
    let b = Body::car(2, -3.2, -3.5, 0.0, 20.3);
    let w = World::new(ego(20.0), vec![a, b], 2.0);
    assert_eq!(most_per_step(&w.run(&mut Bsw::default())), 1);
}

#[test]
fn non_finite_input_gives_no_warning_and_no_panic() {
    let mut bad_ego = ego(f64::NAN);
    bad_ego.heading_deg = f64::NAN;
    let lead = Body::car(1, 0.0, 30.0, 0.0, 0.0);
    let w = World::new(bad_ego, vec![lead.clone()], 1.0);
    for mut app in object_apps() {
        silent(&w, app.as_mut());
    }
    let nan_actor = Body::car(1, f64::NAN, 30.0, 0.0, f64::INFINITY).with_flags(flags(|f| {
        f.hard_braking = true;
        f.hazard_lights = true;
        f.emergency = true;
        f.control_loss = true;
        f.disabled = true;
    }));
    let mut e = ego(20.0);
    e.accel_mps2 = f64::NAN;
    e.yaw_rate_dps = f64::INFINITY;
    let w = World::new(e, vec![nan_actor], 1.0);
    for mut app in object_apps() {
        silent(&w, app.as_mut());
    }
}

#[test]
fn an_echo_of_the_ego_raises_nothing() {
    // The ego reported back (roadside, 0.1 s late: 1.5 m behind), next to a car in the blind
    // zone that must still warn.
    let mut echo = Body::car(1, 0.2, -1.5, 0.0, 15.0);
    echo.noise_m = 0.2;
    let w = World::new(ego(15.0), vec![echo.clone()], 3.0);
    for mut app in object_apps() {
        silent(&w, app.as_mut());
    }
    let w = World::new(
        ego(15.0),
        vec![echo, Body::car(2, -3.5, -5.0, 0.0, 15.0)],
        3.0,
    );
    let events = w.run(&mut Bsw::default());
    assert!(first(&events, 2, Level::Warning).is_some());
    assert!(first(&events, 1, Level::Advisory).is_none());
}

#[test]
fn every_app_is_registered_once() {
    let mut ids: Vec<AppId> = object_apps().iter().map(|a| a.id()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n);
    for id in [
        AppId::Fcw,
        AppId::Icw,
        AppId::Lta,
        AppId::Bsw,
        AppId::Lcw,
        AppId::Dnpw,
        AppId::Ebw,
        AppId::Avw,
        AppId::Clw,
        AppId::Vrucw,
        AppId::Tjw,
        AppId::Evw,
    ] {
        assert!(ids.contains(&id), "{id:?} missing");
    }
}

#[test]
fn fcw_car_creeping_across_the_lane_is_a_lead() {
    // Crossing at 1.5 m/s, already in the ego's lane 60 m ahead.
    let creeper = Body::car(1, 0.5, 60.0, 270.0, 1.5);
    let w = World::new(ego(20.0), vec![creeper], 3.0);
    assert!(raised(&w, &mut Fcw::default(), 1, Level::Warning).is_some());
    // The same speed crossing far to the side: not a lead.
    let aside = Body::car(1, 12.0, 60.0, 270.0, 1.5);
    silent(
        &World::new(ego(20.0), vec![aside], 2.0),
        &mut Fcw::default(),
    );
}

#[test]
fn fcw_braking_lead_in_dense_traffic() {
    // 150 vehicles far away must not crowd the braking lead out of the acceleration history.
    let mut actors = vec![Body::car(1, 0.0, 30.0 + 4.65, 0.0, 20.0).with_accel_at(1.0, -0.3 * G)];
    for i in 0..150 {
        actors.push(Body::car(
            100 + i,
            1000.0 + 10.0 * i as f64,
            500.0,
            90.0,
            15.0,
        ));
    }
    let world = World::new(ego(20.0), actors, 5.5);
    let ttc = fcw_ttc_at_first_warning(&world, false).expect("no FCW");
    assert!(ttc >= 2.4, "first warning at TTC {ttc}");
}

#[test]
fn arbitrary_values_never_panic() {
    use cv2x::apps::ObjectContext;
    use cv2x::fusion::{FusedObject, ObjectClass, ObjectSize};
    use cv2x::time::Timestamp;
    use cv2x::world::Ego;
    use nalgebra::Vector2;
    let pool = [
        0.0,
        -0.0,
        1.0,
        -3.5,
        25.0,
        1e9,
        -1e300,
        1e308,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
    ];
    let mut state = 0x2545_f491_u64;
    let mut pick = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        pool[(state >> 33) as usize % pool.len()]
    };
    let mut apps = object_apps();
    for step in 0..400i64 {
        // Time also jumps backwards now and then.
        let now = Timestamp::from_millis(if step % 37 == 0 { 5 } else { step * 100 });
        let mut ego = Ego::new(now, [pick(), pick()], pick(), pick());
        ego.accel_mps2 = pick();
        ego.yaw_rate_dps = pick();
        ego.length_m = pick();
        ego.width_m = pick();
        ego.turn_signal =
            [TurnSignal::None, TurnSignal::Left, TurnSignal::Right][step as usize % 3];
        let fused: Vec<FusedObject> = (0..8)
            .map(|i| {
                let class = [
                    ObjectClass::Motor,
                    ObjectClass::Pedestrian,
                    ObjectClass::NonMotor,
                ][i % 3];
                let mut o = FusedObject::synthetic(
                    i as u32,
                    class,
                    now,
                    Vector2::new(pick(), pick()),
                    Vector2::new(pick(), pick()),
                );
                o.velocity_cov[(0, 0)] = pick();
                o.size = Some(ObjectSize {
                    length_m: pick(),
                    width_m: pick(),
                    height_m: pick(),
                });
                o
            })
            .collect();
        let all = flags(|f| {
            f.hard_braking = true;
            f.hazard_lights = true;
            f.emergency = true;
            f.control_loss = true;
            f.disabled = true;
        });
        let flags = vec![all; fused.len()];
        let cx = ObjectContext {
            now,
            ego: &ego,
            objects: &fused,
            flags: &flags,
        };
        let mut out = Vec::new();
        for app in apps.iter_mut() {
            app.evaluate(&cx, &mut out);
        }
        for w in &out {
            if let Some(t) = w.ttc_s {
                assert!(t.is_finite());
            }
        }
    }
}
