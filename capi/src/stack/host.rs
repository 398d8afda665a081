//! The transmit side: the ego on the air (`cv2x::host::HostVehicle` attached to the stack),
//! its pseudonym certificates with software keys or keys in a security chip
//! (`cv2x_pseudonym_pool`), and the messages to send (`cv2x_stack_next_transmission`).

use cv2x::host::{
    BsmAids, BsmForm, Credential, CredentialError, HeadingLatch, HostConfig, HostVehicle,
    MessageKind, PseudonymPolicy, PseudonymPool, SeededRandom, SsmConfig,
};
use cv2x::net::Aid;
use cv2x::security::sign::PrivateKey;

use super::cv2x_stack;
use crate::boundary::{
    Exclusive, deref, deref_mut, ffi, free_raw, into_raw, slice, tri, write_bytes,
};
use crate::config_len;
use crate::net::aid_of;
use crate::result::*;
use crate::security::{AnyKey, TakenKey, arm, cv2x_signing_backend, key_alg_of, read_array};

// ---------------------------------------------------------------------------------------------
// Host configuration

/// `cv2x_host_config.flags`: derive events from the state as SAE J2945/1 does (hazard lights,
/// ABS / traction / stability control engaged, hard braking) in addition to those reported
/// (default on).
pub const CV2X_HOST_DERIVE_EVENTS: u32 = 1u32 << 0;
/// `cv2x_host_config.flags`: hold the heading sent below walking pace (default on).
pub const CV2X_HOST_HEADING_LATCH: u32 = 1u32 << 1;
/// `cv2x_host_config.flags`: share the onboard tracks in sensor-sharing messages (SSM) under
/// `ssm_aid` every `ssm_interval_ms`.
pub const CV2X_HOST_SSM: u32 = 1u32 << 2;
/// `cv2x_host_config.flags`: send T/CSAE 53-2017 BSMs (else T/CSAE 53-2020).
pub const CV2X_HOST_BSM_2017: u32 = 1u32 << 3;
/// `cv2x_host_config.flags`: change pseudonym after `pseudonym_interval_ms`.
pub const CV2X_HOST_PSEUDONYM_INTERVAL: u32 = 1u32 << 4;
/// `cv2x_host_config.flags`: change pseudonym after `pseudonym_distance_m` driven (with
/// `CV2X_HOST_PSEUDONYM_INTERVAL`, after both).
pub const CV2X_HOST_PSEUDONYM_DISTANCE: u32 = 1u32 << 5;
const HOST_FLAGS: u32 = (1 << 6) - 1;

/// The host vehicle: how the ego goes on the air. Fill it with `cv2x_host_config_default`,
/// then set at least `seed`. `struct_size` as for every config.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_host_config {
    /// `sizeof(cv2x_host_config)` of the caller.
    pub struct_size: u32,
    /// `CV2X_HOST_*` bits.
    pub flags: u32,
    /// Seed of the generator of temporary ids, counter starts and certificate choices: fill
    /// it from the platform's hardware random generator. An all-zero seed is refused
    /// (`CV2X_ERR_INVALID_PARAMETER`).
    pub seed: [u8; 32],
    /// AID of periodic BSMs of an ordinary vehicle (default 111).
    pub bsm_aid_periodic: u32,
    /// AID of event BSMs of an ordinary vehicle (default 112).
    pub bsm_aid_event: u32,
    /// AID of periodic BSMs of a special vehicle (default 113).
    pub bsm_aid_special_periodic: u32,
    /// AID of event BSMs of a special vehicle (default 114).
    pub bsm_aid_special_event: u32,
    /// AID of SSMs (default 23).
    pub ssm_aid: u32,
    /// Interval between SSMs, ms (at least 10; default 100).
    pub ssm_interval_ms: u32,
    /// Tracks older than this are not shared, ms (default 500).
    pub ssm_max_track_age_ms: u32,
    /// Shortest (baseline) BSM interval, ms (at least 10; default 100).
    pub min_interval_ms: u32,
    /// Longest BSM interval under channel load, ms (default 600).
    pub max_interval_ms: u32,
    /// How often a signed message carries the whole certificate, ms (default 1000).
    pub certificate_interval_ms: u32,
    /// A fix older than this at send time is an outage (no BSM), ms (default 1000).
    pub max_fix_age_ms: u32,
    /// Room (0).
    pub reserved0: u32,
    /// Least time between pseudonym changes, ms (`CV2X_HOST_PSEUDONYM_INTERVAL`).
    pub pseudonym_interval_ms: u64,
    /// Least distance between pseudonym changes, m (`CV2X_HOST_PSEUDONYM_DISTANCE`).
    pub pseudonym_distance_m: f64,
    /// Deceleration that is hard braking, m/s² (default 0.4 g).
    pub hard_braking_mps2: f64,
}

/// Frozen size of the first version of `cv2x_host_config`.
pub const CV2X_HOST_CONFIG_SIZE_V1: usize = 112;
const _: () = assert!(std::mem::size_of::<cv2x_host_config>() == CV2X_HOST_CONFIG_SIZE_V1);

/// The SSM defaults when a configuration turns sharing on.
fn ssm_defaults() -> SsmConfig {
    SsmConfig {
        aid: cv2x::net::aid::SSM,
        interval_ms: 100,
        max_track_age_ms: 500,
    }
}

fn default_host_config() -> cv2x_host_config {
    let h = HostConfig::default();
    let ssm = h.ssm.unwrap_or_else(ssm_defaults);
    let mut flags = 0;
    if h.derive_events {
        flags |= CV2X_HOST_DERIVE_EVENTS;
    }
    if h.heading_latch.is_some() {
        flags |= CV2X_HOST_HEADING_LATCH;
    }
    if h.ssm.is_some() {
        flags |= CV2X_HOST_SSM;
    }
    if h.form == BsmForm::Csae2017 {
        flags |= CV2X_HOST_BSM_2017;
    }
    if h.pseudonym.interval_ms.is_some() {
        flags |= CV2X_HOST_PSEUDONYM_INTERVAL;
    }
    if h.pseudonym.distance_m.is_some() {
        flags |= CV2X_HOST_PSEUDONYM_DISTANCE;
    }
    cv2x_host_config {
        struct_size: CV2X_HOST_CONFIG_SIZE_V1 as u32,
        flags,
        seed: [0; 32],
        bsm_aid_periodic: h.aids.periodic.0,
        bsm_aid_event: h.aids.event.0,
        bsm_aid_special_periodic: h.aids.special_periodic.0,
        bsm_aid_special_event: h.aids.special_event.0,
        ssm_aid: ssm.aid.0,
        ssm_interval_ms: ssm.interval_ms,
        ssm_max_track_age_ms: ssm.max_track_age_ms,
        min_interval_ms: h.rate.min_interval_ms,
        max_interval_ms: h.rate.max_interval_ms,
        certificate_interval_ms: h.certificate_interval_ms,
        max_fix_age_ms: h.max_fix_age_ms,
        reserved0: 0,
        pseudonym_interval_ms: h.pseudonym.interval_ms.unwrap_or(0),
        pseudonym_distance_m: h.pseudonym.distance_m.unwrap_or(0.0),
        hard_braking_mps2: h.hard_braking_mps2,
    }
}

/// Writes the default host config to `*out` (`struct_size` included; `seed` all zero, which
/// must be replaced). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_host_config_default(out: *mut cv2x_host_config) -> cv2x_result {
    ffi!({
        *deref_mut!(out) = default_host_config();
        CV2X_OK
    })
}

fn read_host_config(p: *const cv2x_host_config) -> Result<(HostConfig, [u8; 32]), cv2x_result> {
    if p.is_null() {
        return Err(CV2X_ERR_NULL_POINTER);
    }
    let mut c = default_host_config();
    // SAFETY: non-null; `struct_size` is the first field of every version.
    let size = unsafe { p.cast::<u32>().read_unaligned() };
    let n = config_len(
        size,
        CV2X_HOST_CONFIG_SIZE_V1,
        std::mem::size_of::<cv2x_host_config>(),
    )?;
    // SAFETY: the caller's struct has `size >= n` readable bytes; copying bytes into a struct
    // of integers and doubles makes a valid value whatever they are.
    unsafe { std::ptr::copy_nonoverlapping(p.cast::<u8>(), (&raw mut c).cast::<u8>(), n) };
    let bad = CV2X_ERR_INVALID_PARAMETER;
    if c.flags & !HOST_FLAGS != 0 || c.seed == [0; 32] || c.reserved0 != 0 {
        return Err(bad);
    }
    let aid = |v: u32| -> Result<Aid, cv2x_result> { aid_of(v).map_err(|_| bad) };
    let mut h = HostConfig {
        form: if c.flags & CV2X_HOST_BSM_2017 != 0 {
            BsmForm::Csae2017
        } else {
            BsmForm::Csae2020
        },
        aids: BsmAids {
            periodic: aid(c.bsm_aid_periodic)?,
            event: aid(c.bsm_aid_event)?,
            special_periodic: aid(c.bsm_aid_special_periodic)?,
            special_event: aid(c.bsm_aid_special_event)?,
        },
        certificate_interval_ms: c.certificate_interval_ms,
        max_fix_age_ms: c.max_fix_age_ms,
        derive_events: c.flags & CV2X_HOST_DERIVE_EVENTS != 0,
        hard_braking_mps2: c.hard_braking_mps2,
        pseudonym: PseudonymPolicy {
            interval_ms: (c.flags & CV2X_HOST_PSEUDONYM_INTERVAL != 0)
                .then_some(c.pseudonym_interval_ms),
            distance_m: (c.flags & CV2X_HOST_PSEUDONYM_DISTANCE != 0)
                .then_some(c.pseudonym_distance_m),
        },
        ..HostConfig::default()
    };
    if c.flags & CV2X_HOST_HEADING_LATCH == 0 {
        h.heading_latch = None;
    } else if h.heading_latch.is_none() {
        h.heading_latch = Some(HeadingLatch::default());
    }
    h.ssm = (c.flags & CV2X_HOST_SSM != 0)
        .then(|| {
            Ok::<_, cv2x_result>(SsmConfig {
                aid: aid(c.ssm_aid)?,
                interval_ms: c.ssm_interval_ms,
                max_track_age_ms: c.ssm_max_track_age_ms,
            })
        })
        .transpose()?;
    h.rate.min_interval_ms = c.min_interval_ms;
    h.rate.max_interval_ms = c.max_interval_ms;
    h.validate().map_err(|_| bad)?;
    Ok((h, c.seed))
}

/// Puts the ego on the air: from now on the ego states (`cv2x_stack_set_ego`) and onboard
/// tracks also feed a host vehicle, each poll collects the messages it has due (BSM at 10 Hz
/// under the rate policy, event BSMs, SSMs; signed once a pseudonym pool is set) for
/// `cv2x_stack_next_transmission`, and certificate requests in verified messages reach it.
/// The ego's temporary id is then the host's (it changes with its pseudonyms). Replaces an
/// earlier host vehicle (and its pool). `CV2X_ERR_INVALID_PARAMETER` for a configuration that
/// cannot work (and an all-zero seed).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_host(
    s: *mut cv2x_stack,
    c: *const cv2x_host_config,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let (config, seed) = tri!(read_host_config(c));
        match HostVehicle::new(config, Box::new(SeededRandom::new(seed))) {
            Ok(h) => {
                g.stack.set_host(h);
                g.pending.clear();
                CV2X_OK
            }
            Err(_) => CV2X_ERR_INVALID_PARAMETER,
        }
    })
}

/// Takes a channel busy ratio measurement (0..1) for the transmit rate policy.
/// `CV2X_ERR_NO_HOST` without a host vehicle.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_channel_busy_ratio(s: *mut cv2x_stack, cbr: f64) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let Some(h) = g.stack.host_mut() else {
            return CV2X_ERR_NO_HOST;
        };
        match h.set_channel_busy_ratio(cbr) {
            Ok(()) => CV2X_OK,
            Err(_) => CV2X_ERR_INVALID_PARAMETER,
        }
    })
}

/// Takes a vehicle density measurement (vehicles heard within 100 m) for the transmit rate
/// policy. `CV2X_ERR_NO_HOST` without a host vehicle.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_vehicle_density(s: *mut cv2x_stack, vehicles: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let Some(h) = g.stack.host_mut() else {
            return CV2X_ERR_NO_HOST;
        };
        h.set_vehicle_density(vehicles);
        CV2X_OK
    })
}

/// When the host vehicle has a message due next, into `*out` (TAI µs since 2004): poll at
/// that time at the latest. `CV2X_ERR_NO_HOST` without a host vehicle,
/// `CV2X_ERR_NO_TRANSMISSION` when nothing is due until the next state or track list.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_next_due(s: *const cv2x_stack, out: *mut i64) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        let out = deref_mut!(out);
        let Some(h) = g.stack.host() else {
            return CV2X_ERR_NO_HOST;
        };
        match h.next_due() {
            Some(t) => {
                *out = t.as_micros();
                CV2X_OK
            }
            None => CV2X_ERR_NO_TRANSMISSION,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Pseudonyms

/// Pseudonym certificates with their signing keys, being gathered for a stack (opaque): add
/// credentials, then hand them to the stack with `cv2x_stack_set_pseudonyms`. One call at a
/// time (else `CV2X_ERR_REENTRANT`); may move between threads. Owned by the caller, freed
/// with `cv2x_pseudonym_pool_free` (also after its credentials went to a stack).
pub struct cv2x_pseudonym_pool {
    inner: Exclusive<Vec<Credential>>,
}

/// Makes an empty pool.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_pseudonym_pool_new(out: *mut *mut cv2x_pseudonym_pool) -> cv2x_result {
    ffi!({
        let out = deref_mut!(out);
        *out = into_raw(cv2x_pseudonym_pool {
            inner: Exclusive::new(Vec::new()),
        });
        CV2X_OK
    })
}

fn credential_code(e: &CredentialError) -> cv2x_result {
    match e {
        CredentialError::Certificate(e) => security(e),
        CredentialError::KeyMismatch => CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH,
        _ => CV2X_ERR_INVALID_PARAMETER,
    }
}

/// Adds the pool's credential, writing the certificate's HashedId8 to `id8` (may be NULL).
fn add(
    pool: &mut Vec<Credential>,
    key: AnyKey,
    cert: &[u8],
    id8: *mut u8,
) -> Result<(), cv2x_result> {
    let c = Credential::new(key, cert).map_err(|e| credential_code(&e))?;
    if !id8.is_null() {
        let id = c.signer().id8();
        // SAFETY: non-null; the caller guarantees 8 writable octets.
        unsafe { std::ptr::copy_nonoverlapping(id.as_ptr(), id8, 8) };
    }
    pool.push(c);
    Ok(())
}

/// Adds a pseudonym certificate (COER) with its software private key (`alg` a
/// `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian scalar); the certificate's HashedId8 goes
/// to `id8` (may be NULL). `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the key is not the
/// certificate's.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_pseudonym_pool_add_key(
    p: *mut cv2x_pseudonym_pool,
    alg: u32,
    key: *const u8,
    cert: *const u8,
    cert_len: usize,
    id8: *mut u8,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(p).inner.enter());
        let alg = tri!(key_alg_of(alg));
        let d = tri!(read_array::<32>(key));
        let cert = slice!(cert, cert_len);
        let key = match PrivateKey::from_bytes(alg, &d) {
            Ok(k) => k,
            Err(e) => return security(&e),
        };
        tri!(add(&mut g, Box::new(key), cert, id8));
        CV2X_OK
    })
}

/// Adds a pseudonym certificate (COER) whose key is in a security chip or HSM (`backend`,
/// copied; see `cv2x_signing_backend` for its callbacks and the ownership of `user_data`);
/// the certificate's HashedId8 goes to `id8` (may be NULL). The stack signs through it inside
/// `cv2x_stack_poll` (calling back into that stack from `sign` returns `CV2X_ERR_REENTRANT`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_pseudonym_pool_add_callback(
    p: *mut cv2x_pseudonym_pool,
    backend: *const cv2x_signing_backend,
    cert: *const u8,
    cert_len: usize,
    id8: *mut u8,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(p).inner.enter());
        let cert = slice!(cert, cert_len);
        let taken = tri!(TakenKey::take(backend));
        let armed = taken.arming();
        tri!(add(&mut g, Box::new(taken.key), cert, id8));
        arm(&armed);
        CV2X_OK
    })
}

/// The number of credentials in the pool; 0 for NULL or a poisoned or busy pool.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_pseudonym_pool_count(p: *const cv2x_pseudonym_pool) -> u32 {
    ffi!(panic = 0, {
        if p.is_null() {
            return 0;
        }
        // SAFETY: non-null; a pool from this library (C contract).
        match unsafe { &*p }.inner.enter() {
            Ok(g) => u32::try_from(g.len()).unwrap_or(u32::MAX),
            Err(_) => 0,
        }
    })
}

/// Frees a pool and the credentials still in it (a callback key's `release` is called). NULL
/// is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_pseudonym_pool_free(p: *mut cv2x_pseudonym_pool) {
    ffi!({ free_raw(p) })
}

/// Moves the pool's credentials to the stack's host vehicle, which from then on signs every
/// message with them (replacing an earlier pool: a new pseudonym starts with the next
/// message). `pool` is left empty and stays the caller's to free. `CV2X_ERR_NO_HOST` without
/// a host vehicle (the pool is then left as it is).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_pseudonyms(
    s: *mut cv2x_stack,
    pool: *mut cv2x_pseudonym_pool,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let mut p = tri!(deref!(pool).inner.enter());
        let Some(h) = g.stack.host_mut() else {
            return CV2X_ERR_NO_HOST;
        };
        h.set_pseudonym_pool(PseudonymPool::new(std::mem::take(&mut *p)));
        CV2X_OK
    })
}

// ---------------------------------------------------------------------------------------------
// Messages to send

/// `cv2x_transmission_info.kind`: a BasicSafetyMessage.
pub const CV2X_TX_BSM: u32 = 1;
/// `cv2x_transmission_info.kind`: a SensorSharingMsg.
pub const CV2X_TX_SSM: u32 = 2;
/// `cv2x_transmission_info.kind`: a vehicle intention and request (Day II VIR) of a
/// cooperative application (a request of the ego, `cv2x_stack_command`).
pub const CV2X_TX_VIR: u32 = 3;
/// `cv2x_transmission_info.kind`: a platooning management message (Day II CLPMM).
pub const CV2X_TX_CLPMM: u32 = 4;
/// `cv2x_transmission_info.kind`: a vehicle payment message (Day II VPM).
pub const CV2X_TX_VPM: u32 = 5;
/// A kind of message this ABI version does not name.
pub const CV2X_TX_OTHER: u32 = 255;
/// `cv2x_transmission_info.flags`: sent while an event is reported (a BSM under an event AID).
pub const CV2X_TX_EVENT: u32 = 1u32 << 0;
/// `cv2x_transmission_info.flags`: signed (the DSMP data is an SPDU; `certificate_id8` set).
pub const CV2X_TX_SIGNED: u32 = 1u32 << 1;
/// `cv2x_transmission_info.flags`: the SPDU carries the whole certificate (else its digest).
pub const CV2X_TX_FULL_CERTIFICATE: u32 = 1u32 << 2;
/// `cv2x_transmission_info.flags`: the first message of a new pseudonym (new id, counters,
/// path history and certificate).
pub const CV2X_TX_PSEUDONYM_CHANGED: u32 = 1u32 << 3;

/// What a message to send is; its DSMP packet is in the caller's buffer.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_transmission_info {
    /// `CV2X_TX_*` kind (BSM, SSM, VIR, CLPMM, VPM).
    pub kind: u32,
    /// `CV2X_TX_*` flags.
    pub flags: u32,
    /// The AID (also in the DSMP header).
    pub aid: u32,
    /// The message's `msgCnt`.
    pub msg_cnt: u32,
    /// When it was made (the poll; the SPDU's generation time), TAI µs since 2004.
    pub time: i64,
    /// The temporary id it carries.
    pub temporary_id: [u8; 8],
    /// HashedId8 of the signing certificate (`CV2X_TX_SIGNED`).
    pub certificate_id8: [u8; 8],
    /// Offset of the DSMP data (the SPDU when signed, else the UPER MessageFrame) in the
    /// caller's buffer.
    pub payload_offset: u32,
    /// Length of the DSMP data.
    pub payload_len: u32,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of `cv2x_transmission_info`.
pub const CV2X_TRANSMISSION_INFO_SIZE: usize = 64;
const _: () = assert!(std::mem::size_of::<cv2x_transmission_info>() == CV2X_TRANSMISSION_INFO_SIZE);

/// Takes the oldest message to send: its DSMP packet (ready for the radio) goes to
/// `(out, cap, out_len)` and what it is to `*info` (may be NULL). On
/// `CV2X_ERR_BUFFER_TOO_SMALL` the size needed is in `*out_len` and the message stays first
/// in line. `CV2X_ERR_NO_TRANSMISSION` when none is waiting. Call after each poll until
/// `CV2X_ERR_NO_TRANSMISSION` (the poll's `CV2X_EVENT_TRANSMIT` event says how many wait).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_next_transmission(
    s: *mut cv2x_stack,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
    info: *mut cv2x_transmission_info,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        if out_len.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let st = &mut *g;
        if st.pending.is_empty() {
            st.pending.extend(st.stack.transmissions());
        }
        let Some(tx) = st.pending.front() else {
            return CV2X_ERR_NO_TRANSMISSION;
        };
        let rc = write_bytes(&tx.dsmp, out, cap, out_len);
        if rc != CV2X_OK {
            return rc;
        }
        if !info.is_null() {
            let payload = tx.spdu.as_deref().unwrap_or(&tx.uper);
            let offset = tx.dsmp.len().saturating_sub(payload.len());
            let mut o = cv2x_transmission_info {
                kind: match tx.kind {
                    MessageKind::Bsm => CV2X_TX_BSM,
                    MessageKind::Ssm => CV2X_TX_SSM,
                    MessageKind::Vir => CV2X_TX_VIR,
                    MessageKind::Clpmm => CV2X_TX_CLPMM,
                    MessageKind::Vpm => CV2X_TX_VPM,
                    // non_exhaustive: a kind added to the core after this table
                    _ => CV2X_TX_OTHER,
                },
                aid: tx.aid.0,
                msg_cnt: u32::from(tx.msg_cnt),
                time: tx.time.as_micros(),
                temporary_id: tx.temporary_id,
                payload_offset: u32::try_from(offset).unwrap_or(u32::MAX),
                payload_len: u32::try_from(payload.len()).unwrap_or(u32::MAX),
                ..cv2x_transmission_info::default()
            };
            let set = |on: bool, bit: u32| if on { bit } else { 0 };
            o.flags = set(tx.event, CV2X_TX_EVENT)
                | set(tx.spdu.is_some(), CV2X_TX_SIGNED)
                | set(tx.full_certificate, CV2X_TX_FULL_CERTIFICATE)
                | set(tx.pseudonym_changed, CV2X_TX_PSEUDONYM_CHANGED);
            if let Some(id) = tx.certificate {
                o.certificate_id8 = id;
            }
            // SAFETY: non-null; the caller guarantees a writable info struct.
            unsafe { info.write(o) };
        }
        st.pending.pop_front();
        CV2X_OK
    })
}
