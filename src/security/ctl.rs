//! Trust lists: the signed CA certificate lists of Chinese V2X PKIs (TDCL, 可信域CA证书列表).
//!
//! # Which format
//! The two signed lists an OBU of a deployed SM2 PKI loads its CA certificates from (kept in its
//! `tdcl/` folder) are neither IEEE 1609.2.1 nor ETSI trust lists:
//! - an IEEE 1609.2.1 CTL is a `MultiSignedCtl` (a type octet, a `FullIeeeTbsCtl` of HashedId48 /
//!   HashedId32 of elector and root certificates in an open type, the certificates unsigned, and
//!   `CtlSignatureSpdu` signatures that are each an `Ieee1609Dot2Data`);
//! - an ETSI TS 102 941 CTL is `CtlFormat` (version, nextUpdate, isFullCtl, ctlSequence,
//!   commands) inside an `EtsiTs103097Data`, which begins with protocol version 3.
//!
//! Neither names its signer with an `IssuerIdentifier` or ends with a bare `Signature`. The
//! lists match the cross-PKI trust scheme of the Chinese C-V2X interoperability pilots instead:
//! a *trusted root certificate list* (TRCL, 可信根证书列表, signed by a TRCL authority) carries
//! the root certificate of each trusted PKI with the download address of that PKI's *trusted
//! domain CA certificate list* (TDCL, 可信域CA证书列表), which the PKI's root signs and which
//! lists the PKI's CA certificates. A published TRCL (2020) has the very header layout of the
//! lists read here (version 1, `83 08` + HashedId8 of its signer, a `Uint16`, two `Time32`, a
//! quantity) and points to a TDCL file (`…/catarctdcl.coer`). This module reads the TDCL.
//! No normative text of either list was available to us (they are not part of IEEE 1609.2 or
//! 1609.2.1; the GB/T 45112 / YD/T 3957 texts were not at hand), so the field names below are
//! ours.
//!
//! # Layout (COER) and what is known of each field
//! | field | encoding | status |
//! |---|---|---|
//! | version | `Uint8`, 1 | inferred: 1 in every list seen (and in the TRCL); others are refused |
//! | signer | IEEE 1609.2 `IssuerIdentifier`: `sm3AndDigest` is the extension alternative 3 (`83 08` + HashedId8), `sha256AndDigest` / `sha384AndDigest` likewise | identified: encoded like a certificate's issuer, names the root certificate whose signature verifies |
//! | sequence number | `Uint16` | inferred (1 and 2 in the two lists) |
//! | issue date | `Time32` | inferred: the earlier of two times; one Datang certificate starts 2 h 41 min after it, so it is a date the issuer sets rather than the signing instant |
//! | next update | `Time32` | inferred: 10 years after the issue date in one list, 10 days in the other |
//! | groups | `SEQUENCE OF` group | identified: the quantities match the data exactly |
//! | group | `SEQUENCE` with two OPTIONAL fields and no extension marker | identified from the presence bits (`00` and `c0` in the data) |
//! | group.certificates | `SEQUENCE OF Certificate` (IEEE 1609.2, GB/T 45112 profile) | identified: every certificate parses and most chain to the signer |
//! | group.crl host | length-prefixed text, OPTIONAL | text identified; meaning inferred from its content (`crl.<operator domain>`) |
//! | group.ma host | length-prefixed text, OPTIONAL | likewise (`ma.<operator domain>`: misbehaviour authority) |
//! | signature | IEEE 1609.2 `Signature` (`sm2Signature` is alternative 4: `84 40` r‖s) | identified: verifies over every byte before it |
//!
//! The signature is made like any IEEE 1609.2 / GB/T 45112 signature by a certificate: SM2 with
//! e = SM3(Z_A ‖ signed bytes) and user ID = SM3(signer certificate) — both real lists verify so,
//! and neither with the default ID. For a P-256 signer the same rule gives SHA-256(SHA-256(signed
//! bytes) ‖ SHA-256(signer certificate)); no ECDSA list was available to confirm it.
//!
//! Unknown: the normative names; whether the next-update time is an expiry (a firmware image of
//! December 2021 ships a list whose next update passed in September 2020, so that device did
//! not treat it as one); what a group stands for beyond "one operator's CAs"; whether later
//! versions add fields.
//!
//! # What loading does
//! A TDCL makes certificates *available*, not trusted: the trust anchor is the root that signs
//! it (or another root of the verifier). [`Verifier::load_ctl`] therefore
//! 1. parses the list strictly ([`Ctl::parse`]: typed errors with byte offsets, bounded counts,
//!    zero-copy — the list borrows the input and each certificate is a slice of it);
//! 2. verifies it ([`Verifier::verify_ctl`]): the signer it names must be a trust anchor of the
//!    verifier, valid now, the signature must verify, the issue date must not lie in the future;
//!    a list past its next update still loads and is reported stale, unless
//!    [`Config::require_current_trust_list`](super::Config::require_current_trust_list);
//! 3. verifies each certificate it carries at `now` as a chain up to a trust anchor (the other
//!    certificates of the list may serve as issuers), under the verifier's policy (including
//!    its [relaxations](super::relax)), and keeps those that verify as known CA certificates —
//!    never as trust anchors, since a TDCL lists a PKI's CAs below its root (roots travel in
//!    the TRCL). A self-signed certificate that is not already an anchor is refused.
//!
//! Each certificate gets a [`EntryStatus`] saying whether it was added and why not.
//!
//! The TRCL itself (entries of a root certificate and an optional URL) is not read here: where a
//! TDCL has a group's certificate count a TRCL has a certificate, which this parser refuses.

use alloc::string::String;
use alloc::vec::Vec;

use super::cert::{Certificate, HashAlg, HashedId8, KeyAlg, Signature};
use super::coer::{Reader, Writer};
use super::crypto::Backend;
use super::error::{MalformedKind, SecurityError};
use super::sign::PrivateKey;
use super::verify::{AnchoredChain, Verifier};
use crate::time::Timestamp;

/// Reads with the COER reader, reporting its errors as [`CtlError::Malformed`] (the offset of
/// the read is used for the errors the reader never returns).
macro_rules! rd {
    ($r:ident . $m:ident ( $($a:expr),* )) => {{
        let at = $r.pos();
        $r.$m($($a),*).map_err(|x| CtlError::coer(x, at))
    }};
    (Signature::parse(&mut $r:ident)) => {{
        let at = $r.pos();
        Signature::parse(&mut $r).map_err(|x| CtlError::coer(x, at))
    }};
}

/// Most groups read from one list.
pub const MAX_GROUPS: usize = 256;
/// Most certificates read from one list (all groups together).
pub const MAX_CERTIFICATES: usize = 4096;
/// Least octets a COER certificate can take; bounds the certificate count by the input size.
const MIN_CERTIFICATE_LEN: usize = 40;
/// Longest host name in a group (IEEE 1609.2 `Hostname` is at most 255 octets).
const MAX_HOST_LEN: usize = 255;

/// Why a trust list was not parsed, verified or loaded. [`CtlError::code`] gives a stable
/// snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CtlError {
    /// The COER encoding is invalid at `offset`.
    #[error("malformed trust list ({}) at byte {offset}", kind.as_str())]
    Malformed {
        /// Byte offset into the list.
        offset: usize,
        /// What was wrong.
        kind: MalformedKind,
    },
    /// A certificate of the list, starting at `offset`, does not parse.
    #[error("certificate at byte {offset}: {error}")]
    Certificate {
        /// Byte offset of the certificate in the list.
        offset: usize,
        /// Why it does not parse.
        error: SecurityError,
    },
    /// A list version other than 1.
    #[error("unsupported trust list version {0}")]
    UnsupportedVersion(u8),
    /// The signer is not named by a HashedId8 (`self`, or an unknown alternative).
    #[error("trust list signer not named by a HashedId8")]
    UnsupportedSigner,
    /// The signer named by the list is not a trust anchor of the verifier.
    #[error("trust list signer is not a trust anchor")]
    SignerNotTrusted(HashedId8),
    /// The signing trust anchor is not valid at the verification time.
    #[error("trust list signer not valid at this time")]
    SignerNotValid,
    /// The signature algorithm is not verified here, or does not match the signer's key or the
    /// hash algorithm that names the signer.
    #[error("unsupported trust list signature algorithm")]
    UnsupportedAlgorithm,
    /// The signature does not verify against the signer's key.
    #[error("trust list signature invalid")]
    SignatureInvalid,
    /// The issue date lies ahead of the verification time (beyond the verifier's tolerance).
    #[error("trust list issued in the future")]
    NotYetValid,
    /// The next-update time has passed and the policy requires a current list.
    #[error("trust list past its next update")]
    Stale,
}

impl CtlError {
    /// The stable snake_case code of this error.
    pub const fn code(&self) -> &'static str {
        match self {
            CtlError::Malformed { .. } => "ctl_malformed",
            CtlError::Certificate { .. } => "ctl_certificate_malformed",
            CtlError::UnsupportedVersion(_) => "ctl_unsupported_version",
            CtlError::UnsupportedSigner => "ctl_unsupported_signer",
            CtlError::SignerNotTrusted(_) => "ctl_signer_not_trusted",
            CtlError::SignerNotValid => "ctl_signer_not_valid",
            CtlError::UnsupportedAlgorithm => "ctl_unsupported_algorithm",
            CtlError::SignatureInvalid => "ctl_signature_invalid",
            CtlError::NotYetValid => "ctl_not_yet_valid",
            CtlError::Stale => "ctl_stale",
        }
    }

    /// The reader's errors are all `Malformed`; anything else is reported at `offset`.
    fn coer(e: SecurityError, offset: usize) -> CtlError {
        match e {
            SecurityError::Malformed { offset, kind } => CtlError::Malformed { offset, kind },
            _ => CtlError::Malformed {
                offset,
                kind: MalformedKind::BadValue,
            },
        }
    }
}

/// One certificate of a list: where it is and its original bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtlEntry<'a> {
    /// Byte offset of the certificate in the list.
    pub offset: usize,
    /// Its COER encoding (a slice of the list).
    pub bytes: &'a [u8],
}

impl CtlEntry<'_> {
    /// The certificate, parsed (it parsed when the list did).
    pub fn certificate(&self) -> Result<Certificate, CtlError> {
        Certificate::from_bytes(self.bytes).map_err(|error| CtlError::Certificate {
            offset: self.offset,
            error,
        })
    }
}

/// A group of the list: the certificates of one operator, with its service host names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtlGroup<'a> {
    /// Byte offset of the group in the list.
    pub offset: usize,
    /// The certificates.
    pub certificates: Vec<CtlEntry<'a>>,
    /// The first optional host name (observed: `crl.<operator domain>`, inferred to be the
    /// operator's CRL distribution host).
    pub crl_host: Option<&'a str>,
    /// The second optional host name (observed: `ma.<operator domain>`, inferred to be the
    /// operator's misbehaviour authority).
    pub ma_host: Option<&'a str>,
}

/// A parsed trust list (TDCL). Borrows its input; see the module docs for the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctl<'a> {
    bytes: &'a [u8],
    tbs_len: usize,
    /// `version` (1).
    pub version: u8,
    /// HashedId8 of the signing certificate.
    pub signer: HashedId8,
    /// The hash algorithm of that HashedId8 (SM3 for `sm3AndDigest`).
    pub signer_hash: HashAlg,
    /// Sequence number.
    pub sequence_number: u16,
    /// Issue date, `Time32` (TAI seconds since 2004).
    pub issue_date: u32,
    /// Next update, `Time32`.
    pub next_update: u32,
    /// The groups of certificates.
    pub groups: Vec<CtlGroup<'a>>,
    /// The signature over [`Ctl::tbs`].
    pub signature: Signature,
}

impl<'a> Ctl<'a> {
    /// Parses exactly one list spanning all of `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, CtlError> {
        let mut r = Reader::new(bytes);
        let version = rd!(r.u8())?;
        if version != 1 {
            return Err(CtlError::UnsupportedVersion(version));
        }
        let (signer_hash, signer) = match rd!(r.choice())? {
            0 => (HashAlg::Sha256, rd!(r.array())?),
            idx @ (2 | 3) => {
                let at = r.pos();
                let body = rd!(r.open())?;
                let id: HashedId8 = body.try_into().map_err(|_| CtlError::Malformed {
                    offset: at,
                    kind: MalformedKind::BadLength,
                })?;
                (
                    if idx == 2 {
                        HashAlg::Sha384
                    } else {
                        HashAlg::Sm3
                    },
                    id,
                )
            }
            _ => return Err(CtlError::UnsupportedSigner),
        };
        let sequence_number = rd!(r.u16())?;
        let issue_date = rd!(r.u32())?;
        let next_update = rd!(r.u32())?;
        let at = r.pos();
        // A group takes at least its preamble and a one-element quantity (3 octets).
        let n_groups = rd!(r.count(3))?;
        if n_groups > MAX_GROUPS {
            return Err(CtlError::Malformed {
                offset: at,
                kind: MalformedKind::TooMany,
            });
        }
        let mut groups = Vec::with_capacity(n_groups);
        let mut total = 0usize;
        for _ in 0..n_groups {
            let group = parse_group(&mut r, &mut total)?;
            groups.push(group);
        }
        let tbs_len = r.pos();
        let signature = rd!(Signature::parse(&mut r))?;
        rd!(r.finish())?;
        Ok(Ctl {
            bytes,
            tbs_len,
            version,
            signer,
            signer_hash,
            sequence_number,
            issue_date,
            next_update,
            groups,
            signature,
        })
    }

    /// The whole list as received.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The signed bytes: everything before the signature.
    pub fn tbs(&self) -> &'a [u8] {
        self.bytes.get(..self.tbs_len).unwrap_or(&[])
    }

    /// The issue date as a timestamp.
    pub fn issue_time(&self) -> Timestamp {
        Timestamp::from_time32(self.issue_date)
    }

    /// The next-update time as a timestamp.
    pub fn next_update_time(&self) -> Timestamp {
        Timestamp::from_time32(self.next_update)
    }

    /// Every certificate with the index of its group, in list order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &CtlEntry<'a>)> {
        self.groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.certificates.iter().map(move |c| (i, c)))
    }

    /// Number of certificates in all groups.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.certificates.len()).sum()
    }

    /// Whether the list carries no certificate.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The list's fields as a template (owned), e.g. to issue an edited list;
    /// [`CtlTemplate::encode_tbs`] of it gives [`Ctl::tbs`] back.
    pub fn to_template(&self) -> CtlTemplate {
        CtlTemplate {
            signer: self.signer,
            signer_hash: self.signer_hash,
            sequence_number: self.sequence_number,
            issue_date: self.issue_date,
            next_update: self.next_update,
            groups: self
                .groups
                .iter()
                .map(|g| GroupTemplate {
                    certificates: g.certificates.iter().map(|c| c.bytes.to_vec()).collect(),
                    crl_host: g.crl_host.map(String::from),
                    ma_host: g.ma_host.map(String::from),
                })
                .collect(),
        }
    }
}

fn parse_group<'a>(r: &mut Reader<'a>, total: &mut usize) -> Result<CtlGroup<'a>, CtlError> {
    let offset = r.pos();
    let pre = rd!(r.preamble(2))?;
    let at = r.pos();
    let n = rd!(r.count(MIN_CERTIFICATE_LEN))?;
    *total = total.saturating_add(n);
    if *total > MAX_CERTIFICATES {
        return Err(CtlError::Malformed {
            offset: at,
            kind: MalformedKind::TooMany,
        });
    }
    let mut certificates = Vec::with_capacity(n);
    for _ in 0..n {
        let start = r.pos();
        Certificate::parse(r).map_err(|error| CtlError::Certificate {
            offset: start,
            error,
        })?;
        certificates.push(CtlEntry {
            offset: start,
            bytes: r.since(start),
        });
    }
    let crl_host = if pre.get(0) { Some(host(r)?) } else { None };
    let ma_host = if pre.get(1) { Some(host(r)?) } else { None };
    Ok(CtlGroup {
        offset,
        certificates,
        crl_host,
        ma_host,
    })
}

/// A length-prefixed host name: at most 255 octets of UTF-8.
fn host<'a>(r: &mut Reader<'a>) -> Result<&'a str, CtlError> {
    let at = r.pos();
    let b = r.octets().map_err(|err| CtlError::coer(err, at))?;
    if b.len() > MAX_HOST_LEN {
        return Err(CtlError::Malformed {
            offset: at,
            kind: MalformedKind::BadLength,
        });
    }
    core::str::from_utf8(b).map_err(|_| CtlError::Malformed {
        offset: at,
        kind: MalformedKind::BadValue,
    })
}

/// A group to encode: certificates (COER) and the optional host names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupTemplate {
    /// The certificates, each one COER certificate.
    pub certificates: Vec<Vec<u8>>,
    /// The CRL host name.
    pub crl_host: Option<String>,
    /// The misbehaviour-authority host name.
    pub ma_host: Option<String>,
}

/// A list to encode and sign (for list issuers, test PKIs and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtlTemplate {
    /// HashedId8 of the signing certificate.
    pub signer: HashedId8,
    /// The hash algorithm of that HashedId8 (SHA-256, SHA-384 or SM3).
    pub signer_hash: HashAlg,
    /// Sequence number.
    pub sequence_number: u16,
    /// Issue date (`Time32`).
    pub issue_date: u32,
    /// Next update (`Time32`).
    pub next_update: u32,
    /// The groups.
    pub groups: Vec<GroupTemplate>,
}

impl CtlTemplate {
    /// COER of everything the signature covers.
    pub fn encode_tbs(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(1);
        match self.signer_hash {
            HashAlg::Sha256 => {
                w.choice(0).bytes(&self.signer);
            }
            h => {
                w.choice(if h == HashAlg::Sha384 { 2 } else { 3 })
                    .open(|w| {
                        w.bytes(&self.signer);
                    });
            }
        }
        w.u16(self.sequence_number)
            .u32(self.issue_date)
            .u32(self.next_update)
            .uint(self.groups.len() as u64);
        for g in &self.groups {
            let mut pre = 0u8;
            if g.crl_host.is_some() {
                pre |= 0x80;
            }
            if g.ma_host.is_some() {
                pre |= 0x40;
            }
            w.u8(pre).uint(g.certificates.len() as u64);
            for c in &g.certificates {
                w.bytes(c);
            }
            for h in [&g.crl_host, &g.ma_host].into_iter().flatten() {
                w.octets(h.as_bytes());
            }
        }
        w.into_bytes()
    }

    /// The signed list: the encoding signed with `key`, whose certificate is `signer_cert`.
    pub fn sign(&self, key: &PrivateKey, signer_cert: &[u8]) -> Result<Vec<u8>, SecurityError> {
        let mut out = self.encode_tbs();
        let sig = key.sign(&key.signer_input(Some(signer_cert)), &out)?;
        let mut w = Writer::new();
        sig.encode(&mut w);
        out.extend_from_slice(&w.into_bytes());
        Ok(out)
    }
}

/// A list whose signature verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtlVerified {
    /// HashedId8 of the trust anchor that signed it.
    pub signer: HashedId8,
    /// Whether the next-update time has passed.
    pub stale: bool,
}

/// What became of one certificate of a loaded list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    /// Verified up to a trust anchor and kept as a known CA certificate.
    Added(AnchoredChain),
    /// The certificate is a trust anchor of the verifier already.
    TrustAnchor,
    /// The same certificate appeared earlier in the list (at this offset).
    Duplicate {
        /// Offset of the first occurrence.
        first_offset: usize,
    },
    /// A self-signed certificate that is not a trust anchor: a trust list does not make roots.
    SelfSignedNotTrusted,
    /// The chain failed with this reason.
    Rejected(SecurityError),
}

impl EntryStatus {
    /// `"added"`, `"trust_anchor"`, `"duplicate"`, `"self_signed_not_trusted"` or the
    /// verification failure code.
    pub const fn code(&self) -> &'static str {
        match self {
            EntryStatus::Added(_) => "added",
            EntryStatus::TrustAnchor => "trust_anchor",
            EntryStatus::Duplicate { .. } => "duplicate",
            EntryStatus::SelfSignedNotTrusted => "self_signed_not_trusted",
            EntryStatus::Rejected(e) => e.code(),
        }
    }
}

/// One certificate of a loaded list and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryReport {
    /// Index of its group.
    pub group: usize,
    /// Byte offset in the list.
    pub offset: usize,
    /// Its HashedId8.
    pub id8: HashedId8,
    /// The certificate.
    pub certificate: Certificate,
    /// Whether it was added, and why not.
    pub status: EntryStatus,
}

/// The result of loading a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtlLoad {
    /// The list's verification.
    pub verified: CtlVerified,
    /// Every certificate, in list order.
    pub entries: Vec<EntryReport>,
}

impl CtlLoad {
    /// Number of certificates added.
    pub fn added(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| matches!(e.status, EntryStatus::Added(_)))
            .count()
    }

    /// Number of certificates refused (self-signed or failing their chain).
    pub fn rejected(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| {
                matches!(
                    e.status,
                    EntryStatus::Rejected(_) | EntryStatus::SelfSignedNotTrusted
                )
            })
            .count()
    }
}

impl<B: Backend> Verifier<B> {
    /// Verifies a parsed list at `now`: its signer must be a trust anchor valid at `now`, the
    /// signature must verify with that anchor's key (user ID = SM3 of its certificate for
    /// SM2), and the issue date must not lie ahead of `now` by more than
    /// [`Config::max_future_us`](super::Config::max_future_us). A list past its next update is
    /// reported stale, and refused only with
    /// [`Config::require_current_trust_list`](super::Config::require_current_trust_list).
    pub fn verify_ctl(&mut self, ctl: &Ctl<'_>, now: Timestamp) -> Result<CtlVerified, CtlError> {
        let anchor = self
            .cache()
            .anchors()
            .find(|a| a.id8 == ctl.signer)
            .cloned()
            .ok_or(CtlError::SignerNotTrusted(ctl.signer))?;
        if !anchor.cert.validity.contains(now) {
            return Err(CtlError::SignerNotValid);
        }
        let key_alg = anchor
            .cert
            .public_key()
            .map_err(|_| CtlError::UnsupportedAlgorithm)?
            .alg;
        let expected = match ctl.signature.alg {
            KeyAlg::Sm2 => HashAlg::Sm3,
            KeyAlg::EcdsaP256 => HashAlg::Sha256,
            _ => return Err(CtlError::UnsupportedAlgorithm),
        };
        if key_alg != ctl.signature.alg || ctl.signer_hash != expected {
            return Err(CtlError::UnsupportedAlgorithm);
        }
        if ctl.issue_time().micros_since(now) > self.config().max_future_us {
            return Err(CtlError::NotYetValid);
        }
        let stale = now >= ctl.next_update_time();
        if stale && self.config().require_current_trust_list {
            return Err(CtlError::Stale);
        }
        let ok = self
            .check_sig(
                &anchor.key,
                anchor.key_alt.as_ref(),
                &anchor.signer_input,
                ctl.tbs(),
                Some(ctl.signature),
            )
            .map_err(|_| CtlError::UnsupportedAlgorithm)?;
        if !ok {
            return Err(CtlError::SignatureInvalid);
        }
        Ok(CtlVerified {
            signer: anchor.id8,
            stale,
        })
    }

    /// Parses and verifies a list ([`Verifier::verify_ctl`]), then verifies each certificate
    /// it carries at `now` up to a trust anchor (the list's other certificates may serve as
    /// issuers) and keeps those that verify as known CA certificates (not as trust anchors).
    /// The report says, per certificate, whether it was added and why not; the list itself
    /// fails only if it does not parse or verify.
    pub fn load_ctl(&mut self, bytes: &[u8], now: Timestamp) -> Result<CtlLoad, CtlError> {
        let ctl = Ctl::parse(bytes)?;
        let verified = self.verify_ctl(&ctl, now)?;
        let mut listed = Vec::with_capacity(ctl.len());
        for (group, entry) in ctl.entries() {
            listed.push((group, entry.offset, self.ided(entry.certificate()?)));
        }
        let extra: Vec<Certificate> = listed
            .iter()
            .filter(|(_, _, c)| !c.cert.is_self_signed())
            .map(|(_, _, c)| c.cert.clone())
            .collect();
        let mut entries: Vec<EntryReport> = Vec::with_capacity(listed.len());
        for (group, offset, c) in listed {
            let (id8, certificate) = (c.id8, c.cert.clone());
            let first = entries.iter().find(|e| e.id8 == id8).map(|e| e.offset);
            let status = if self.cache().anchors().any(|a| a.id8 == id8) {
                EntryStatus::TrustAnchor
            } else if let Some(first_offset) = first {
                EntryStatus::Duplicate { first_offset }
            } else if certificate.is_self_signed() {
                EntryStatus::SelfSignedNotTrusted
            } else {
                match self.verify_ided(c, &extra, now) {
                    Ok(v) => {
                        let chain = AnchoredChain {
                            anchor: v.anchor,
                            length: v.depth,
                            relaxations: v.relaxations,
                        };
                        self.record_relaxations(chain.relaxations);
                        self.listed.insert(id8, certificate.clone());
                        EntryStatus::Added(chain)
                    }
                    Err(e) => EntryStatus::Rejected(e),
                }
            };
            entries.push(EntryReport {
                group,
                offset,
                id8,
                certificate,
                status,
            });
        }
        Ok(CtlLoad { verified, entries })
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::security::cert::KeyAlg;
    use crate::security::{Config, Verifier};
    use crate::testing::pki::TestPki;

    fn now() -> Timestamp {
        Timestamp::from_micros(700_000_000_000_000)
    }

    fn template(pki: &TestPki, certs: Vec<Vec<u8>>) -> CtlTemplate {
        let root = Certificate::from_bytes(pki.root_cert()).unwrap();
        let v = Verifier::new(Config::default());
        let hash = v.certificate_hash(&root);
        let t32 = (now().as_micros() / 1_000_000) as u32;
        CtlTemplate {
            signer: crate::security::verify::id8_of(&hash),
            signer_hash: root.issuer.hash_alg(),
            sequence_number: 7,
            issue_date: t32 - 60,
            next_update: t32 + 86_400,
            groups: vec![
                GroupTemplate {
                    certificates: certs,
                    crl_host: Some("crl.test.cv2x".into()),
                    ma_host: None,
                },
                GroupTemplate::default(),
            ],
        }
    }

    #[test]
    fn a_signed_list_parses_back_and_loads_its_ca_for_both_algorithms() {
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let pki = TestPki::new(alg, b"ctl", now()).unwrap();
            let t = template(&pki, vec![pki.ca_cert().to_vec(), pki.root_cert().to_vec()]);
            let bytes = t.sign(pki.root_key(), pki.root_cert()).unwrap();
            let ctl = Ctl::parse(&bytes).unwrap();
            assert_eq!(ctl.sequence_number, 7);
            assert_eq!(ctl.len(), 2);
            assert_eq!(ctl.groups[0].crl_host, Some("crl.test.cv2x"));
            assert_eq!(ctl.groups[0].ma_host, None);
            assert_eq!(ctl.tbs(), t.encode_tbs().as_slice());
            assert_eq!(ctl.groups[0].certificates[0].bytes, pki.ca_cert());

            // A one-entry cache: the CA must come back from the list's certificates.
            let mut v = Verifier::new(Config {
                cert_cache_capacity: 1,
                ..Config::default()
            });
            // Not a trust anchor yet: refused, naming the signer.
            assert_eq!(
                v.load_ctl(&bytes, now()).unwrap_err(),
                CtlError::SignerNotTrusted(ctl.signer)
            );
            v.add_trust_anchor(pki.root_cert()).unwrap();
            let load = v.load_ctl(&bytes, now()).unwrap();
            assert!(!load.verified.stale);
            assert_eq!(load.entries[0].status.code(), "added");
            assert_eq!(load.entries[1].status, EntryStatus::TrustAnchor);
            // The CA is now known: pseudonyms it issued verify without adding the CA, also
            // once the first pseudonym has pushed the CA out of the cache.
            for aids in [[32], [33]] {
                let signer = pki.signer(&aids).unwrap();
                v.add_certificate(signer.certificate()).unwrap();
                let spdu = signer.sign(b"x", aids[0], now()).unwrap();
                assert_eq!(v.verify(&spdu, now()).code(), "ok");
            }

            // One flipped bit anywhere in the signed part: the signature fails.
            let mut bad = bytes.clone();
            bad[12] ^= 0x01;
            assert_eq!(
                v.load_ctl(&bad, now()).unwrap_err(),
                CtlError::SignatureInvalid
            );
        }
    }

    #[test]
    fn time_self_signed_duplicates_and_stale_lists() {
        let pki = TestPki::new(KeyAlg::Sm2, b"ctl", now()).unwrap();
        let other = TestPki::new(KeyAlg::Sm2, b"another root", now()).unwrap();
        let mut t = template(
            &pki,
            vec![
                pki.ca_cert().to_vec(),
                other.root_cert().to_vec(),
                pki.ca_cert().to_vec(),
                other.ca_cert().to_vec(),
            ],
        );
        let mut v = Verifier::new(Config::default());
        v.add_trust_anchor(pki.root_cert()).unwrap();
        let bytes = t.sign(pki.root_key(), pki.root_cert()).unwrap();
        let load = v.load_ctl(&bytes, now()).unwrap();
        let codes: Vec<_> = load.entries.iter().map(|e| e.status.code()).collect();
        assert_eq!(
            codes,
            [
                "added",
                "self_signed_not_trusted",
                "duplicate",
                "unknown_issuer"
            ]
        );
        assert_eq!(
            load.entries[2].status,
            EntryStatus::Duplicate {
                first_offset: load.entries[0].offset
            }
        );
        assert_eq!((load.added(), load.rejected()), (1, 2));

        // Issued an hour ahead: refused. Past its next update: stale, refused only on demand.
        let t32 = (now().as_micros() / 1_000_000) as u32;
        t.issue_date = t32 + 3600;
        let future = t.sign(pki.root_key(), pki.root_cert()).unwrap();
        assert_eq!(
            v.load_ctl(&future, now()).unwrap_err(),
            CtlError::NotYetValid
        );
        t.issue_date = t32 - 7200;
        t.next_update = t32 - 3600;
        let stale = t.sign(pki.root_key(), pki.root_cert()).unwrap();
        assert!(v.load_ctl(&stale, now()).unwrap().verified.stale);
        let mut strict = Verifier::new(Config {
            require_current_trust_list: true,
            ..Config::default()
        });
        strict.add_trust_anchor(pki.root_cert()).unwrap();
        assert_eq!(strict.load_ctl(&stale, now()).unwrap_err(), CtlError::Stale);
    }

    #[test]
    fn malformed_lists_give_typed_errors_with_offsets() {
        let pki = TestPki::new(KeyAlg::Sm2, b"ctl", now()).unwrap();
        let t = template(&pki, vec![pki.ca_cert().to_vec()]);
        let bytes = t.sign(pki.root_key(), pki.root_cert()).unwrap();
        // every truncation is an error, never a panic
        for n in 0..bytes.len() {
            assert!(Ctl::parse(&bytes[..n]).is_err(), "{n}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(
            Ctl::parse(&extra).unwrap_err(),
            CtlError::Malformed {
                offset: bytes.len(),
                kind: MalformedKind::TrailingBytes
            }
        );
        let mut v2 = bytes.clone();
        v2[0] = 2;
        assert_eq!(
            Ctl::parse(&v2).unwrap_err(),
            CtlError::UnsupportedVersion(2)
        );
        // the version octet of the first certificate (header 21 octets, group quantity 2, group
        // preamble 1, certificate quantity 2; then the certificate's own preamble) changed
        let at = 1 + 2 + 8 + 2 + 4 + 4 + 2 + 1 + 2;
        let mut bad_cert = bytes.clone();
        bad_cert[at + 1] = 4;
        assert_eq!(
            Ctl::parse(&bad_cert).unwrap_err(),
            CtlError::Certificate {
                offset: at,
                error: SecurityError::IncompatibleProtocol(4)
            }
        );
        // a certificate count larger than the input can hold
        let mut many = bytes.clone();
        many[at - 1] = 0x7f;
        assert_eq!(
            Ctl::parse(&many).unwrap_err(),
            CtlError::Malformed {
                offset: at - 2,
                kind: MalformedKind::TooMany
            }
        );
        // an invalid UTF-8 host name
        let mut host = bytes.clone();
        let i = host.windows(3).position(|w| w == b"crl").unwrap();
        host[i] = 0xff;
        assert_eq!(
            Ctl::parse(&host).unwrap_err(),
            CtlError::Malformed {
                offset: i - 1,
                kind: MalformedKind::BadValue
            }
        );
    }
}
