//! VNFP — vehicle near-field payment (the Day I application list's payment service, over the
//! T/CSAE 157-2020 VPM): the ego pays a roadside payment service (free-flow or closed-road
//! toll, congestion charge, charging, parking) with the account of the caller.
//!
//! **The account** is the caller's ([`PaymentAccount`], given with
//! [`crate::stack::Stack::set_payment_account`]): the stack asks it for the data of each
//! message and for every transaction step, and keeps none of it (the data goes into the one
//! message it is asked for). Without an account the application does nothing.
//!
//! **The exchange**, as the VPM module defines its steps (`payment` CHOICE):
//! 1. the roadside unit broadcasts its roadside service table (RST, `initialzation-request`):
//!    its id and the payment applications it offers, each with the tolling point (id,
//!    position, kind, direction tolled) and the toll (price, tolled stretch, validity);
//! 2. the on-board unit answers with its vehicle service information (VSI,
//!    `initialzation-response`): its id (the ego's temporary id), the roadside unit answered,
//!    its kind and motion, for each application it takes part in its payment data (equipment
//!    class, card files, contract, vehicle file, entrance passed) and a random number for
//!    authentication;
//! 3. the roadside unit sends commands (`Action-Request` addressed to the on-board unit's id):
//!    read the toll data files, read with authentication, write toll data (charge), pass APDUs
//!    to a component, show the result to the driver;
//! 4. the on-board unit answers each command that asks for an answer (`mode`) with an
//!    `Action-Response`: the result data and a return status.
//!
//! **Decisions**: a service is answered when it is offered by a table received within 2 s,
//! the account takes part in it and accepts it ([`PaymentAccount::accept`]), and, when the
//! offer gives the tolling point's position, the ego is within [`VnfpConfig::range_m`]
//! (200 m) of it and, when it gives the direction tolled, heads within
//! [`VnfpConfig::direction_tolerance_deg`] (45°) of it. One session per roadside unit: the VSI
//! goes out at once and again every second until a command arrives; commands addressed to
//! another vehicle are ignored; a command repeated unchanged (the roadside did not hear the
//! answer) gets the same answer again without asking the account twice (never a double
//! charge); a session that ended is not started again while the roadside keeps offering (it
//! ends when its table has not been heard for [`VnfpConfig::session_timeout_s`], 10 s), and a
//! session without progress for that long fails.
//!
//! **Levels**: an **advisory** per session ([`Guidance::Payment`]: offered, paying, paid; the
//! service and the announced price), a **warning** when it failed or the driver should
//! contact the operator; a result is reported for [`VnfpConfig::report_s`] (5 s).
//!
//! **What could and could not be confirmed**: the message steps, their fields and the order
//! RST → VSI → commands → answers are the ASN.1 module's (`VPM.asn` and its comments). The
//! meaning of each command is named there after the ETC transaction of GB/T 20851 and GB/T
//! 38444 (read vehicle and toll files, secure read, write toll data with a TAC, channel APDUs,
//! MMI); the order in which a roadside unit sends them, the file layouts, the authenticator
//! and TAC computation (done by the account's secure element), which id the OBU should give
//! (the ego's temporary id is used), and the timing and repetition rules were not available to
//! confirm: the application follows whatever commands arrive and leaves the cryptography and
//! file contents to the account.
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext};
use super::guidance::{Guidance, PaymentState};
use super::road::relative_to_ego;
use super::{AppId, Level, Warning};
use crate::geo::wrap_deg;
use crate::math::{abs, hypot};
use crate::time::Timestamp;
use crate::world::day2::{
    ActionAnswer, ActionResult, ChargeReceipt, ChargeRequest, FileRange, ObuKind, ObuPaymentData,
    OfferedService, Outgoing, PaymentAction, PaymentChannel, PaymentCommand, PaymentService,
    ReturnCode, ServiceInfo, TollResult,
};

/// The caller's payment account: the data and the secure operations of the on-board unit's
/// payment part (its secure access module, its card). The stack calls it for each message and
/// keeps nothing it returns beyond that message.
pub trait PaymentAccount: Send {
    /// The account's data for one payment application, or `None` when it does not take part
    /// in it.
    fn application(&mut self, service: PaymentService) -> Option<ObuPaymentData>;

    /// The kind of on-board unit (factory-fitted by default).
    fn obu_kind(&self) -> ObuKind {
        ObuKind::Oem
    }

    /// Whether to pay this offer (the driver's consent, a spending limit). Yes by default.
    fn accept(&mut self, offer: &OfferedService) -> bool {
        let _ = offer;
        true
    }

    /// A random number for the roadside's authentication of the on-board unit, from the
    /// secure element (`None`: none sent).
    fn challenge(&mut self) -> Option<[u8; 8]> {
        None
    }

    /// Reads parts of the vehicle information file and of the toll information file.
    fn read_files(
        &mut self,
        service: PaymentService,
        vehicle: FileRange,
        toll: Option<FileRange>,
        key_id: Option<u8>,
    ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode>;

    /// Reads a part of a file with authentication: the authenticator over it, computed with
    /// the roadside's random number and the keys named.
    fn secure_read(
        &mut self,
        service: PaymentService,
        range: FileRange,
        rnd: [u8; 8],
        auth_key: u8,
        encrypt_key: Option<u8>,
    ) -> Result<[u8; 8], ReturnCode>;

    /// Writes the toll data: charges the account.
    fn charge(
        &mut self,
        service: PaymentService,
        request: &ChargeRequest,
    ) -> Result<ChargeReceipt, ReturnCode>;

    /// Passes APDUs to a component and returns its responses. Refused by default.
    fn channel(
        &mut self,
        channel: PaymentChannel,
        apdus: &[[u8; 127]],
    ) -> Result<Vec<[u8; 127]>, ReturnCode> {
        let _ = (channel, apdus);
        Err(ReturnCode::AccessDenied)
    }

    /// The roadside's result of a transaction, to show or record.
    fn result(&mut self, service: PaymentService, result: TollResult) {
        let _ = (service, result);
    }
}

/// VNFP thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VnfpConfig {
    /// The tolling point must be within this distance, m (200).
    pub range_m: f64,
    /// The ego's heading must be within this of the direction tolled, degrees (45).
    pub direction_tolerance_deg: f64,
    /// An offer table older than this is no longer answered, ms (2000).
    pub offer_max_age_ms: i64,
    /// The VSI is resent after this without a command, ms (1000).
    pub resend_ms: i64,
    /// A session ends when its roadside has not been heard, or fails without progress, after
    /// this, s (10).
    pub session_timeout_s: f64,
    /// A result is reported for this long, s (5).
    pub report_s: f64,
}

impl Default for VnfpConfig {
    fn default() -> Self {
        VnfpConfig {
            range_m: 200.0,
            direction_tolerance_deg: 45.0,
            offer_max_age_ms: 2000,
            resend_ms: 1000,
            session_timeout_s: 10.0,
            report_s: 5.0,
        }
    }
}

/// One payment session with a roadside unit.
#[derive(Debug, Clone, PartialEq)]
struct Session {
    rsu: [u8; 8],
    service: PaymentService,
    price: Option<u32>,
    station: Option<crate::geo::Wgs84>,
    state: PaymentState,
    activity: Timestamp,
    last_vsi: Timestamp,
    commanded: bool,
    last_seq: u64,
    last: Option<(PaymentService, PaymentAction, Option<ActionAnswer>)>,
    finished: Option<Timestamp>,
}

/// The VNFP application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Vnfp {
    /// Thresholds.
    pub config: VnfpConfig,
    sessions: Vec<Session>,
}

/// Most sessions at once.
const MAX_SESSIONS: usize = 4;

impl Vnfp {
    /// Whether the ego is where the offer applies.
    fn applies(&self, cx: &CoopContext<'_>, s: &OfferedService) -> bool {
        let Some(st) = s.station else { return true };
        let Some(p) = st.position.and_then(|w| cx.enu(&w)) else {
            return true;
        };
        let (along, lat) = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p);
        if hypot(along, lat) > self.config.range_m || along < -30.0 {
            return false;
        }
        st.direction_deg.is_none_or(|d| {
            abs(wrap_deg(cx.ego.heading_deg - d)) <= self.config.direction_tolerance_deg
        })
    }

    fn offers(&mut self, cx: &mut CoopContext<'_>) {
        let c = self.config;
        let Some(ego) = cx.ego_id else { return };
        let day2 = cx.day2;
        for offer in day2.payment.offers() {
            if cx.now.micros_since(offer.received) > c.offer_max_age_ms * 1000 {
                continue;
            }
            if let Some(s) = self.sessions.iter_mut().find(|s| s.rsu == offer.rsu) {
                let resend = s.state == PaymentState::Offered
                    && !s.commanded
                    && cx.now.micros_since(s.last_vsi) >= c.resend_ms * 1000;
                if !resend {
                    continue;
                }
                s.last_vsi = cx.now;
                let service = s.service;
                let rsu = s.rsu;
                send_vsi(cx, ego, rsu, service);
                continue;
            }
            if self.sessions.len() >= MAX_SESSIONS {
                continue;
            }
            let chosen = offer.services.iter().find(|s| {
                s.service != PaymentService::Other
                    && self.applies(cx, s)
                    && cx
                        .account
                        .as_mut()
                        .is_some_and(|a| a.application(s.service).is_some() && a.accept(s))
            });
            let Some(s) = chosen else { continue };
            if send_vsi(cx, ego, offer.rsu, s.service) {
                self.sessions.push(Session {
                    rsu: offer.rsu,
                    service: s.service,
                    price: s.price,
                    station: s.station.and_then(|st| st.position),
                    state: PaymentState::Offered,
                    activity: cx.now,
                    last_vsi: cx.now,
                    commanded: false,
                    last_seq: 0,
                    last: None,
                    finished: None,
                });
            }
        }
    }

    fn commands(&mut self, cx: &mut CoopContext<'_>) {
        let Some(ego) = cx.ego_id else { return };
        let day2 = cx.day2;
        let mut cmds: Vec<&PaymentCommand> = day2
            .payment
            .commands()
            .iter()
            .filter(|k| k.target == Some(ego))
            .collect();
        cmds.sort_by_key(|k| k.seq);
        for cmd in cmds {
            let Some(s) = self.sessions.iter_mut().find(|s| s.rsu == cmd.rsu) else {
                continue;
            };
            if cmd.seq <= s.last_seq || s.finished.is_some() {
                continue;
            }
            s.last_seq = cmd.seq;
            s.commanded = true;
            s.activity = cx.now;
            // A command repeated unchanged gets the same answer again.
            if let Some((svc, act, ans)) = &s.last {
                if *svc == cmd.service && *act == cmd.action {
                    if let (Some(a), true) = (ans.clone(), cmd.respond) {
                        cx.outbox.push(Outgoing::PaymentAnswer(a));
                    }
                    continue;
                }
            }
            let Some(account) = cx.account.as_mut() else {
                return;
            };
            let (ret, result) = execute(&mut **account, cmd);
            match &cmd.action {
                PaymentAction::ShowResult(r) => {
                    s.state = match r {
                        TollResult::Ok => PaymentState::Paid,
                        TollResult::Nok => PaymentState::Failed,
                        TollResult::ContactOperator => PaymentState::ContactOperator,
                    };
                    s.finished = Some(cx.now);
                }
                _ if ret != ReturnCode::Ok && ret != ReturnCode::Processing => {
                    s.state = PaymentState::Failed;
                }
                _ => s.state = PaymentState::Paying,
            }
            let answer = ActionAnswer {
                rsu: cmd.rsu,
                obu_id: ego,
                service: cmd.service,
                ret,
                result,
            };
            if cmd.respond {
                cx.outbox.push(Outgoing::PaymentAnswer(answer.clone()));
            }
            s.last = Some((cmd.service, cmd.action.clone(), Some(answer)));
        }
    }

    fn report(&mut self, cx: &CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = self.config;
        let now = cx.now;
        let offers = cx.day2.payment.offers();
        self.sessions.retain_mut(|s| {
            let heard = offers
                .iter()
                .find(|o| o.rsu == s.rsu)
                .is_some_and(|o| now.seconds_since(o.received) <= c.session_timeout_s);
            if s.finished.is_none() && now.seconds_since(s.activity) > c.session_timeout_s {
                s.state = PaymentState::Failed;
                s.finished = Some(now);
            }
            // A finished session lives on while its roadside offers, so it is not paid twice.
            heard
                || s.finished
                    .is_none_or(|f| now.seconds_since(f) <= c.report_s)
        });
        for s in &self.sessions {
            if s.finished
                .is_some_and(|f| now.seconds_since(f) > c.report_s)
            {
                continue;
            }
            let level = match s.state {
                PaymentState::Failed | PaymentState::ContactOperator => Level::Warning,
                _ => Level::Advisory,
            };
            let target = cx.place(
                &[b"payment", &s.rsu],
                Some(s.station.as_ref().unwrap_or(&cx.ego_wgs84)),
            );
            let mut w = cx.warning(AppId::Vnfp, level, target);
            w.guidance = Some(Guidance::Payment {
                state: s.state,
                service: s.service,
                amount: s.price,
            });
            out.push(w);
        }
    }
}

/// Sends the VSI for one service; `false` when the account has no data for it or the outbox
/// is full.
fn send_vsi(cx: &mut CoopContext<'_>, ego: [u8; 8], rsu: [u8; 8], service: PaymentService) -> bool {
    let Some(account) = cx.account.as_mut() else {
        return false;
    };
    let Some(data) = account.application(service) else {
        return false;
    };
    let info = ServiceInfo {
        rsu,
        obu_id: ego,
        obu_kind: account.obu_kind(),
        applications: alloc::vec![(service, data)],
        rnd: account.challenge(),
    };
    cx.outbox.push(Outgoing::PaymentInfo(info))
}

/// Carries out a command with the account.
fn execute(
    account: &mut dyn PaymentAccount,
    cmd: &PaymentCommand,
) -> (ReturnCode, Option<ActionResult>) {
    let s = cmd.service;
    let r = match &cmd.action {
        PaymentAction::ReadTollData {
            vehicle,
            toll,
            key_id,
        } => account
            .read_files(s, *vehicle, *toll, *key_id)
            .map(|(vehicle, toll)| Some(ActionResult::TollData { vehicle, toll })),
        PaymentAction::SecureRead {
            range,
            rnd,
            auth_key,
            encrypt_key,
        } => account
            .secure_read(s, *range, *rnd, *auth_key, *encrypt_key)
            .map(|authenticator| {
                Some(ActionResult::SecureRead {
                    range: *range,
                    authenticator,
                })
            }),
        PaymentAction::Charge(req) => account
            .charge(s, req)
            .map(|r| Some(ActionResult::Charged(r))),
        PaymentAction::Channel { channel, apdus } => {
            account.channel(*channel, apdus).map(|apdus| {
                Some(ActionResult::Channel {
                    channel: *channel,
                    apdus,
                })
            })
        }
        PaymentAction::ShowResult(r) => {
            account.result(s, *r);
            Ok(None)
        }
        PaymentAction::Other => Err(ReturnCode::ArgumentError),
    };
    match r {
        Ok(result) => (ReturnCode::Ok, result),
        Err(code) => (code, None),
    }
}

impl CoopApp for Vnfp {
    fn id(&self) -> AppId {
        AppId::Vnfp
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        if cx.account.is_none() {
            return;
        }
        self.offers(cx);
        self.commands(cx);
        self.report(cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An account that refuses everything.
    struct Refusing;

    impl PaymentAccount for Refusing {
        fn application(&mut self, _: PaymentService) -> Option<ObuPaymentData> {
            Some(ObuPaymentData::default())
        }
        fn read_files(
            &mut self,
            _: PaymentService,
            _: FileRange,
            _: Option<FileRange>,
            _: Option<u8>,
        ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode> {
            Err(ReturnCode::AccessDenied)
        }
        fn secure_read(
            &mut self,
            _: PaymentService,
            _: FileRange,
            _: [u8; 8],
            _: u8,
            _: Option<u8>,
        ) -> Result<[u8; 8], ReturnCode> {
            Err(ReturnCode::AccessDenied)
        }
        fn charge(
            &mut self,
            _: PaymentService,
            _: &ChargeRequest,
        ) -> Result<ChargeReceipt, ReturnCode> {
            Err(ReturnCode::ProcessingFailure)
        }
    }

    #[test]
    fn commands_map_to_the_account_and_refusals_to_return_codes() {
        let cmd = |action| PaymentCommand {
            rsu: [1; 8],
            target: Some([2; 8]),
            received: Timestamp::EPOCH,
            sent: None,
            seq: 1,
            respond: true,
            service: PaymentService::Freeflow,
            action,
            credentials: None,
        };
        let mut a = Refusing;
        let (ret, res) = execute(
            &mut a,
            &cmd(PaymentAction::Charge(ChargeRequest {
                rnd: None,
                tac: None,
                toll_data: None,
                point: None,
                key_id: None,
            })),
        );
        assert_eq!((ret, res), (ReturnCode::ProcessingFailure, None));
        let (ret, _) = execute(
            &mut a,
            &cmd(PaymentAction::Channel {
                channel: PaymentChannel::Esam,
                apdus: Vec::new(),
            }),
        );
        assert_eq!(
            ret,
            ReturnCode::AccessDenied,
            "channels are refused by default"
        );
        let (ret, res) = execute(&mut a, &cmd(PaymentAction::ShowResult(TollResult::Ok)));
        assert_eq!((ret, res), (ReturnCode::Ok, None));
        let (ret, _) = execute(&mut a, &cmd(PaymentAction::Other));
        assert_eq!(ret, ReturnCode::ArgumentError);
    }
}
