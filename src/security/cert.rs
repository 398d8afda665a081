//! IEEE 1609.2 (protocol version 3) certificates in COER, including the SM additions of
//! GB/T 45112 (`sm3AndDigest` issuer, `ecsigSm2` key, `sm2Signature`).
//!
//! A [`Certificate`] keeps its original encoding ([`Certificate::bytes`]) and the span of its
//! `ToBeSignedCertificate` ([`Certificate::tbs`]): hashes and signatures are computed over those
//! bytes, never over a re-encoding.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::coer::{Reader, Writer};
use super::error::{MalformedKind, Result, SecurityError};
use crate::time::Timestamp;

/// The last 8 octets of a certificate's hash: how signers and issuers are referenced.
pub type HashedId8 = [u8; 8];
/// The last 3 octets of a certificate's hash: used in certificate requests (P2PCD).
pub type HashedId3 = [u8; 3];

/// Largest number of elements read for any SEQUENCE OF inside a certificate.
pub const MAX_SEQUENCE_ELEMENTS: usize = 256;

/// Hash algorithms of IEEE 1609.2 `HashAlgorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384 (parsed, not supported for verification).
    Sha384,
    /// SM3 (GB/T 45112).
    Sm3,
}

impl HashAlg {
    pub(crate) fn from_u8(v: u8, r: &Reader<'_>) -> Result<Self> {
        match v {
            0 => Ok(HashAlg::Sha256),
            1 => Ok(HashAlg::Sha384),
            2 => Ok(HashAlg::Sm3),
            _ => Err(r.err(MalformedKind::BadValue)),
        }
    }

    pub(crate) fn to_u8(self) -> u8 {
        match self {
            HashAlg::Sha256 => 0,
            HashAlg::Sha384 => 1,
            HashAlg::Sm3 => 2,
        }
    }

    /// Lower-case name (`sha256`, `sha384`, `sm3`).
    pub const fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sm3 => "sm3",
        }
    }
}

/// Who issued a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Issuer {
    /// Self-signed, with the hash algorithm used for its own identifier.
    SelfSigned(HashAlg),
    /// Issued by the certificate with this HashedId8, computed with this hash algorithm
    /// (`sha256AndDigest`, `sha384AndDigest`, `sm3AndDigest`).
    Digest(HashAlg, HashedId8),
}

impl Issuer {
    /// The hash algorithm that identifies the *issued* certificate (1609.2: the issuer's
    /// algorithm for a digest issuer, the named algorithm for a self-signed one).
    pub fn hash_alg(&self) -> HashAlg {
        match self {
            Issuer::SelfSigned(h) | Issuer::Digest(h, _) => *h,
        }
    }
}

/// `CertificateId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertId {
    /// `linkageData`: i-value and linkage value (pseudonym certificates).
    Linkage {
        /// `iCert`.
        i_cert: u16,
        /// `linkage-value`.
        value: [u8; 9],
    },
    /// `name` (a host name).
    Name(String),
    /// `binaryId`.
    Binary(Vec<u8>),
    /// `none`.
    None,
    /// An extension alternative.
    Unknown,
}

/// Units of an IEEE 1609.2 `Duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    /// Microseconds.
    Microseconds,
    /// Milliseconds.
    Milliseconds,
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Units of sixty hours.
    SixtyHours,
    /// Years of 31 556 952 s (365.2425 days), as IEEE 1609.2 defines them.
    Years,
}

/// Seconds in a 1609.2 year: 365.2425 days (the Gregorian mean year), as the standard defines
/// the `years` unit of `Duration`.
pub const YEAR_SECONDS: i64 = 31_556_952;

impl DurationUnit {
    /// Microseconds per unit.
    pub const fn micros(self) -> i64 {
        match self {
            DurationUnit::Microseconds => 1,
            DurationUnit::Milliseconds => 1_000,
            DurationUnit::Seconds => 1_000_000,
            DurationUnit::Minutes => 60_000_000,
            DurationUnit::Hours => 3_600_000_000,
            DurationUnit::SixtyHours => 216_000_000_000,
            DurationUnit::Years => YEAR_SECONDS * 1_000_000,
        }
    }

    fn index(self) -> u8 {
        self as u8
    }

    /// Lower-case ASN.1 name of the unit.
    pub const fn name(self) -> &'static str {
        match self {
            DurationUnit::Microseconds => "microseconds",
            DurationUnit::Milliseconds => "milliseconds",
            DurationUnit::Seconds => "seconds",
            DurationUnit::Minutes => "minutes",
            DurationUnit::Hours => "hours",
            DurationUnit::SixtyHours => "sixtyHours",
            DurationUnit::Years => "years",
        }
    }
}

/// `ValidityPeriod`: a `Time32` start (TAI seconds since 2004) and a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    /// `start`, TAI seconds since 2004-01-01 00:00:00 UTC.
    pub start_time32: u32,
    /// Duration unit.
    pub unit: DurationUnit,
    /// Duration value in `unit`s.
    pub value: u16,
}

impl Validity {
    /// First valid instant.
    pub fn start(&self) -> Timestamp {
        Timestamp::from_time32(self.start_time32)
    }

    /// First instant after the period.
    pub fn end(&self) -> Timestamp {
        self.start()
            .add_micros(i64::from(self.value).saturating_mul(self.unit.micros()))
    }

    /// Whether `t` lies in `[start, end)`.
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.start() && t < self.end()
    }
}

/// A point on the WGS-84 ellipsoid in 1/10 micro-degrees (`TwoDLocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TwoDLocation {
    /// Latitude, 1/10 µdeg (−900000000..=900000000; 900000001 = unavailable).
    pub lat: i32,
    /// Longitude, 1/10 µdeg (−1799999999..=1800000000; 1800000001 = unavailable).
    pub lon: i32,
}

/// `RectangularRegion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    /// North-west corner.
    pub north_west: TwoDLocation,
    /// South-east corner.
    pub south_east: TwoDLocation,
}

/// One `IdentifiedRegion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentifiedRegion {
    /// `countryOnly`: a UN M.49 country code.
    Country(u16),
    /// `countryAndRegions`.
    CountryAndRegions {
        /// Country.
        country: u16,
        /// Regions of that country.
        regions: Vec<u8>,
    },
    /// `countryAndSubregions`.
    CountryAndSubregions {
        /// Country.
        country: u16,
        /// Regions with their subregions.
        regions: Vec<(u8, Vec<u16>)>,
    },
    /// An extension alternative.
    Unknown,
}

impl IdentifiedRegion {
    /// The country code, if known.
    pub fn country(&self) -> Option<u16> {
        match self {
            IdentifiedRegion::Country(c)
            | IdentifiedRegion::CountryAndRegions { country: c, .. }
            | IdentifiedRegion::CountryAndSubregions { country: c, .. } => Some(*c),
            IdentifiedRegion::Unknown => None,
        }
    }
}

/// `GeographicRegion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Region {
    /// `circularRegion`: centre and radius in metres.
    Circular {
        /// Centre.
        center: TwoDLocation,
        /// Radius, metres.
        radius_m: u16,
    },
    /// `rectangularRegion`: the union of the rectangles.
    Rectangular(Vec<Rect>),
    /// `polygonalRegion`: vertices (at least 3).
    Polygonal(Vec<TwoDLocation>),
    /// `identifiedRegion`: countries and their regions.
    Identified(Vec<IdentifiedRegion>),
    /// An extension alternative.
    Unknown,
}

/// `ServiceSpecificPermissions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ssp {
    /// `opaque`.
    Opaque(Vec<u8>),
    /// `bitmapSsp`.
    Bitmap(Vec<u8>),
    /// An extension alternative.
    Unknown,
}

impl Ssp {
    /// The SSP octets (empty for an unknown alternative).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Ssp::Opaque(b) | Ssp::Bitmap(b) => b,
            Ssp::Unknown => &[],
        }
    }
}

/// `PsidSsp`: an application permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsidSsp {
    /// AID (PSID).
    pub psid: u64,
    /// Service-specific permissions.
    pub ssp: Option<Ssp>,
}

/// `SspRange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SspRange {
    /// `opaque`: the allowed SSP values.
    Opaque(Vec<Vec<u8>>),
    /// `all`.
    All,
    /// `bitmapSspRange`: value and mask.
    Bitmap {
        /// `sspValue`.
        value: Vec<u8>,
        /// `sspBitmask`.
        mask: Vec<u8>,
    },
    /// An extension alternative.
    Unknown,
}

/// `PsidSspRange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsidSspRange {
    /// AID.
    pub psid: u64,
    /// Allowed SSPs (absent: any).
    pub ssp_range: Option<SspRange>,
}

/// `SubjectPermissions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectPermissions {
    /// `explicit`.
    Explicit(Vec<PsidSspRange>),
    /// `all`.
    All,
    /// An extension alternative.
    Unknown,
}

/// `EndEntityType` bit `app`.
pub const EE_APP: u8 = 0x80;
/// `EndEntityType` bit `enrol`.
pub const EE_ENROL: u8 = 0x40;

/// `PsidGroupPermissions`: what an issuer may issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsidGroupPermissions {
    /// Covered AIDs.
    pub subject: SubjectPermissions,
    /// `minChainLength` (default 1).
    pub min_chain_length: i64,
    /// `chainLengthRange` (default 0; −1 = unbounded).
    pub chain_length_range: i64,
    /// `eeType` bits ([`EE_APP`], [`EE_ENROL`]; default app).
    pub ee_type: u8,
}

/// Public-key algorithms (`PublicVerificationKey` alternatives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlg {
    /// ECDSA NIST P-256.
    EcdsaP256,
    /// ECDSA Brainpool P256r1 (parsed, not supported).
    EcdsaBrainpoolP256,
    /// ECDSA Brainpool P384r1 (parsed, not supported).
    EcdsaBrainpoolP384,
    /// ECDSA NIST P-384 (parsed, not supported).
    EcdsaP384,
    /// SM2 (GB/T 45112 `ecsigSm2`).
    Sm2,
    /// An unknown extension alternative.
    Unknown,
}

impl KeyAlg {
    /// Name used in reports.
    pub const fn name(self) -> &'static str {
        match self {
            KeyAlg::EcdsaP256 => "ecdsaNistP256",
            KeyAlg::EcdsaBrainpoolP256 => "ecdsaBrainpoolP256r1",
            KeyAlg::EcdsaBrainpoolP384 => "ecdsaBrainpoolP384r1",
            KeyAlg::EcdsaP384 => "ecdsaNistP384",
            KeyAlg::Sm2 => "ecsigSm2",
            KeyAlg::Unknown => "unknown",
        }
    }

    /// Whether this implementation verifies signatures of this algorithm.
    pub const fn supported(self) -> bool {
        matches!(self, KeyAlg::EcdsaP256 | KeyAlg::Sm2)
    }

    fn index(self) -> u8 {
        match self {
            KeyAlg::EcdsaP256 => 0,
            KeyAlg::EcdsaBrainpoolP256 => 1,
            KeyAlg::EcdsaBrainpoolP384 => 2,
            KeyAlg::EcdsaP384 => 3,
            KeyAlg::Sm2 | KeyAlg::Unknown => 4,
        }
    }
}

/// `EccP256CurvePoint` (P-256 and SM2 share the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CurvePoint {
    /// `x-only`.
    XOnly([u8; 32]),
    /// `fill` (no point).
    Fill,
    /// `compressed-y-0`.
    CompressedY0([u8; 32]),
    /// `compressed-y-1`.
    CompressedY1([u8; 32]),
    /// `uncompressedP256`.
    Uncompressed([u8; 32], [u8; 32]),
}

impl CurvePoint {
    /// The x coordinate (`None` for `fill`).
    pub fn x(&self) -> Option<&[u8; 32]> {
        match self {
            CurvePoint::XOnly(x)
            | CurvePoint::CompressedY0(x)
            | CurvePoint::CompressedY1(x)
            | CurvePoint::Uncompressed(x, _) => Some(x),
            CurvePoint::Fill => None,
        }
    }

    /// Name of the point form.
    pub const fn form(&self) -> &'static str {
        match self {
            CurvePoint::XOnly(_) => "x-only",
            CurvePoint::Fill => "fill",
            CurvePoint::CompressedY0(_) => "compressed-y-0",
            CurvePoint::CompressedY1(_) => "compressed-y-1",
            CurvePoint::Uncompressed(..) => "uncompressed",
        }
    }

    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self> {
        Ok(match r.choice()? {
            0 => CurvePoint::XOnly(r.array()?),
            1 => CurvePoint::Fill,
            2 => CurvePoint::CompressedY0(r.array()?),
            3 => CurvePoint::CompressedY1(r.array()?),
            4 => CurvePoint::Uncompressed(r.array()?, r.array()?),
            _ => return Err(r.err(MalformedKind::BadTag)),
        })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        match self {
            CurvePoint::XOnly(x) => w.choice(0).bytes(x),
            CurvePoint::Fill => w.choice(1),
            CurvePoint::CompressedY0(x) => w.choice(2).bytes(x),
            CurvePoint::CompressedY1(x) => w.choice(3).bytes(x),
            CurvePoint::Uncompressed(x, y) => w.choice(4).bytes(x).bytes(y),
        };
    }
}

/// A public verification key: algorithm and point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey {
    /// Algorithm.
    pub alg: KeyAlg,
    /// The point as encoded (`Fill` for algorithms this implementation does not read).
    pub point: CurvePoint,
}

impl PublicKey {
    fn parse(r: &mut Reader<'_>) -> Result<Self> {
        let idx = r.choice()?;
        let (alg, point) = match idx {
            0 => (KeyAlg::EcdsaP256, CurvePoint::parse(r)?),
            1 => (KeyAlg::EcdsaBrainpoolP256, CurvePoint::parse(r)?),
            2..=4 => {
                let body = r.open()?;
                let alg = match idx {
                    2 => KeyAlg::EcdsaBrainpoolP384,
                    3 => KeyAlg::EcdsaP384,
                    _ => KeyAlg::Sm2,
                };
                if alg == KeyAlg::Sm2 {
                    let mut inner = Reader::new(body);
                    let p = CurvePoint::parse(&mut inner)?;
                    inner.finish()?;
                    (alg, p)
                } else {
                    (alg, CurvePoint::Fill)
                }
            }
            _ => {
                r.open()?;
                (KeyAlg::Unknown, CurvePoint::Fill)
            }
        };
        Ok(PublicKey { alg, point })
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        w.choice(self.alg.index());
        if self.alg == KeyAlg::Sm2 {
            w.open(|w| self.point.encode(w));
        } else {
            self.point.encode(w);
        }
    }
}

/// `VerificationKeyIndicator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerifyKeyIndicator {
    /// An explicit certificate's key.
    Key(PublicKey),
    /// An implicit certificate's reconstruction value (ECQV).
    Reconstruction(CurvePoint),
    /// An extension alternative.
    Unknown,
}

/// A `Signature`: algorithm, r (as the x coordinate of R for ECDSA) and s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    /// Algorithm (of the key that made it).
    pub alg: KeyAlg,
    /// `r` (ECDSA: the x coordinate of the `rSig` point, whatever its form).
    pub r: [u8; 32],
    /// `s`.
    pub s: [u8; 32],
}

impl Signature {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self> {
        let idx = r.choice()?;
        match idx {
            0 | 1 => {
                let point = CurvePoint::parse(r)?;
                let x = *point.x().ok_or(r.err(MalformedKind::BadValue))?;
                let s = r.array()?;
                let alg = if idx == 0 {
                    KeyAlg::EcdsaP256
                } else {
                    KeyAlg::EcdsaBrainpoolP256
                };
                Ok(Signature { alg, r: x, s })
            }
            4 => {
                let body = r.open()?;
                let mut inner = Reader::new(body);
                let rr = inner.array()?;
                let s = inner.array()?;
                inner.finish()?;
                Ok(Signature {
                    alg: KeyAlg::Sm2,
                    r: rr,
                    s,
                })
            }
            _ => {
                r.open()?;
                let alg = match idx {
                    2 => KeyAlg::EcdsaBrainpoolP384,
                    3 => KeyAlg::EcdsaP384,
                    _ => KeyAlg::Unknown,
                };
                Ok(Signature {
                    alg,
                    r: [0; 32],
                    s: [0; 32],
                })
            }
        }
    }

    pub(crate) fn encode(&self, w: &mut Writer) {
        match self.alg {
            KeyAlg::Sm2 => {
                w.choice(4).open(|w| {
                    w.bytes(&self.r).bytes(&self.s);
                });
            }
            _ => {
                w.choice(0);
                CurvePoint::XOnly(self.r).encode(w);
                w.bytes(&self.s);
            }
        }
    }
}

/// Certificate type (`CertificateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertType {
    /// Explicit: carries the verification key and a signature.
    Explicit,
    /// Implicit (ECQV): carries a reconstruction value.
    Implicit,
}

/// The fields of `ToBeSignedCertificate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TbsCertificate {
    /// `id`.
    pub id: CertId,
    /// `cracaId`.
    pub craca_id: HashedId3,
    /// `crlSeries`.
    pub crl_series: u16,
    /// Validity period.
    pub validity: Validity,
    /// Region (absent: the issuer's region applies).
    pub region: Option<Region>,
    /// `assuranceLevel` octet.
    pub assurance_level: Option<u8>,
    /// `appPermissions`.
    pub app_permissions: Vec<PsidSsp>,
    /// `certIssuePermissions`.
    pub issue_permissions: Vec<PsidGroupPermissions>,
    /// `certRequestPermissions`.
    pub request_permissions: Vec<PsidGroupPermissions>,
    /// `canRequestRollover` present.
    pub can_request_rollover: bool,
    /// `encryptionKey` present (not encoded by [`CertTemplate`]).
    pub has_encryption_key: bool,
    /// Verification key or reconstruction value.
    pub verify_key: VerifyKeyIndicator,
}

/// A parsed certificate with its original encoding. The `ToBeSignedCertificate` fields are
/// reachable directly (`cert.validity`) through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    bytes: Vec<u8>,
    tbs: Range<usize>,
    /// Explicit or implicit.
    pub cert_type: CertType,
    /// Issuer.
    pub issuer: Issuer,
    /// The `ToBeSignedCertificate` fields.
    pub fields: TbsCertificate,
    /// Issuer's signature (absent on implicit certificates).
    pub signature: Option<Signature>,
}

impl core::ops::Deref for Certificate {
    type Target = TbsCertificate;
    fn deref(&self) -> &TbsCertificate {
        &self.fields
    }
}

impl Certificate {
    /// Parses exactly one certificate spanning all of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let c = Self::parse(&mut r)?;
        r.finish()?;
        Ok(c)
    }

    /// Parses one certificate at the reader's position; the certificate's bytes are copied.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self> {
        let start = r.pos();
        let pre = r.preamble(1)?;
        let version = r.u8()?;
        if version != 3 {
            return Err(SecurityError::IncompatibleProtocol(version));
        }
        let cert_type = match r.u8()? {
            0 => CertType::Explicit,
            1 => CertType::Implicit,
            _ => return Err(r.err(MalformedKind::BadValue)),
        };
        let issuer = match r.choice()? {
            0 => Issuer::Digest(HashAlg::Sha256, r.array()?),
            1 => {
                let v = r.u8()?;
                Issuer::SelfSigned(HashAlg::from_u8(v, r)?)
            }
            idx @ (2 | 3) => {
                let body = r.open()?;
                let mut inner = Reader::new(body);
                let id = inner.array()?;
                inner.finish()?;
                let h = if idx == 2 {
                    HashAlg::Sha384
                } else {
                    HashAlg::Sm3
                };
                Issuer::Digest(h, id)
            }
            _ => return Err(r.err(MalformedKind::BadTag)),
        };
        let tbs_start = r.pos() - start;
        let t = parse_tbs(r)?;
        let tbs_end = r.pos() - start;
        let signature = if pre.get(0) {
            Some(Signature::parse(r)?)
        } else {
            None
        };
        let bytes = r.since(start).to_vec();
        Ok(Certificate {
            bytes,
            tbs: tbs_start..tbs_end,
            cert_type,
            issuer,
            fields: t,
            signature,
        })
    }

    /// The original COER encoding of the whole certificate.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The original COER encoding of `ToBeSignedCertificate`.
    pub fn tbs(&self) -> &[u8] {
        self.bytes.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// Whether the certificate is self-signed.
    pub fn is_self_signed(&self) -> bool {
        matches!(self.issuer, Issuer::SelfSigned(_))
    }

    /// The explicit verification key, or why there is none usable.
    pub fn public_key(&self) -> Result<PublicKey> {
        match self.verify_key {
            VerifyKeyIndicator::Key(k) => {
                if k.alg.supported() {
                    Ok(k)
                } else {
                    Err(SecurityError::UnsupportedAlgorithm)
                }
            }
            VerifyKeyIndicator::Reconstruction(_) => Err(SecurityError::ImplicitCertificate),
            VerifyKeyIndicator::Unknown => Err(SecurityError::UnsupportedAlgorithm),
        }
    }

    /// The SSP of the app permission for `psid`: `None` if the AID is not permitted,
    /// `Some(None)` if permitted without an SSP.
    pub fn ssp_for(&self, psid: u64) -> Option<Option<&Ssp>> {
        self.app_permissions
            .iter()
            .find(|p| p.psid == psid)
            .map(|p| p.ssp.as_ref())
    }
}

fn parse_tbs(r: &mut Reader<'_>) -> Result<TbsCertificate> {
    let pre = r.preamble(8)?;
    let id = match r.choice()? {
        0 => {
            let p = r.preamble(1)?;
            let i_cert = r.u16()?;
            let value = r.array()?;
            if p.get(0) {
                r.take(4 + 9)?;
            }
            CertId::Linkage { i_cert, value }
        }
        1 => {
            let b = r.octets()?;
            CertId::Name(String::from_utf8_lossy(b).into_owned())
        }
        2 => CertId::Binary(r.octets()?.to_vec()),
        3 => CertId::None,
        _ => {
            r.open()?;
            CertId::Unknown
        }
    };
    let craca_id = r.array()?;
    let crl_series = r.u16()?;
    let validity = parse_validity(r)?;
    let region = if pre.get(1) {
        Some(parse_region(r)?)
    } else {
        None
    };
    let assurance_level = if pre.get(2) { Some(r.u8()?) } else { None };
    let app_permissions = if pre.get(3) {
        seq_of(r, 2, parse_psid_ssp)?
    } else {
        Vec::new()
    };
    let issue_permissions = if pre.get(4) {
        seq_of(r, 2, parse_group)?
    } else {
        Vec::new()
    };
    let request_permissions = if pre.get(5) {
        seq_of(r, 2, parse_group)?
    } else {
        Vec::new()
    };
    let can_request_rollover = pre.get(6);
    let has_encryption_key = pre.get(7);
    if has_encryption_key {
        r.u8()?; // supportedSymmAlg
        match r.choice()? {
            0 | 1 => {
                CurvePoint::parse(r)?;
            }
            _ => {
                r.open()?;
            }
        }
    }
    let verify_key = match r.choice()? {
        0 => VerifyKeyIndicator::Key(PublicKey::parse(r)?),
        1 => VerifyKeyIndicator::Reconstruction(CurvePoint::parse(r)?),
        _ => {
            r.open()?;
            VerifyKeyIndicator::Unknown
        }
    };
    if pre.get(0) {
        let bitmap = r.extension_bitmap()?;
        r.skip_extensions(bitmap)?;
    }
    Ok(TbsCertificate {
        id,
        craca_id,
        crl_series,
        validity,
        region,
        assurance_level,
        app_permissions,
        issue_permissions,
        request_permissions,
        can_request_rollover,
        has_encryption_key,
        verify_key,
    })
}

/// Reads a SEQUENCE OF with at most [`MAX_SEQUENCE_ELEMENTS`] elements of at least `min_elem`
/// octets each.
pub(crate) fn seq_of<'a, T>(
    r: &mut Reader<'a>,
    min_elem: usize,
    mut f: impl FnMut(&mut Reader<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = r.count(min_elem)?;
    if n > MAX_SEQUENCE_ELEMENTS {
        return Err(r.err(MalformedKind::TooMany));
    }
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(f(r)?);
    }
    Ok(v)
}

fn parse_validity(r: &mut Reader<'_>) -> Result<Validity> {
    let start_time32 = r.u32()?;
    let unit = match r.choice()? {
        0 => DurationUnit::Microseconds,
        1 => DurationUnit::Milliseconds,
        2 => DurationUnit::Seconds,
        3 => DurationUnit::Minutes,
        4 => DurationUnit::Hours,
        5 => DurationUnit::SixtyHours,
        6 => DurationUnit::Years,
        _ => return Err(r.err(MalformedKind::BadTag)),
    };
    let value = r.u16()?;
    Ok(Validity {
        start_time32,
        unit,
        value,
    })
}

pub(crate) fn parse_2d(r: &mut Reader<'_>) -> Result<TwoDLocation> {
    Ok(TwoDLocation {
        lat: r.i32()?,
        lon: r.i32()?,
    })
}

fn parse_region(r: &mut Reader<'_>) -> Result<Region> {
    Ok(match r.choice()? {
        0 => Region::Circular {
            center: parse_2d(r)?,
            radius_m: r.u16()?,
        },
        1 => Region::Rectangular(seq_of(r, 16, |r| {
            Ok(Rect {
                north_west: parse_2d(r)?,
                south_east: parse_2d(r)?,
            })
        })?),
        2 => {
            let v = seq_of(r, 8, parse_2d)?;
            if v.len() < 3 {
                return Err(r.err(MalformedKind::BadValue));
            }
            Region::Polygonal(v)
        }
        3 => Region::Identified(seq_of(r, 3, parse_identified)?),
        _ => {
            r.open()?;
            Region::Unknown
        }
    })
}

fn parse_identified(r: &mut Reader<'_>) -> Result<IdentifiedRegion> {
    Ok(match r.choice()? {
        0 => IdentifiedRegion::Country(r.u16()?),
        1 => IdentifiedRegion::CountryAndRegions {
            country: r.u16()?,
            regions: seq_of(r, 1, |r| r.u8())?,
        },
        2 => IdentifiedRegion::CountryAndSubregions {
            country: r.u16()?,
            regions: seq_of(r, 2, |r| Ok((r.u8()?, seq_of(r, 2, |r| r.u16())?)))?,
        },
        _ => {
            r.open()?;
            IdentifiedRegion::Unknown
        }
    })
}

fn parse_psid_ssp(r: &mut Reader<'_>) -> Result<PsidSsp> {
    let pre = r.preamble(1)?;
    let psid = r.uint()?;
    let ssp = if pre.get(0) {
        Some(match r.choice()? {
            0 => Ssp::Opaque(r.octets()?.to_vec()),
            1 => {
                let body = r.open()?;
                let mut inner = Reader::new(body);
                let b = inner.octets()?;
                inner.finish()?;
                if b.len() > 31 {
                    return Err(r.err(MalformedKind::BadValue));
                }
                Ssp::Bitmap(b.to_vec())
            }
            _ => {
                r.open()?;
                Ssp::Unknown
            }
        })
    } else {
        None
    };
    Ok(PsidSsp { psid, ssp })
}

fn parse_group(r: &mut Reader<'_>) -> Result<PsidGroupPermissions> {
    let pre = r.preamble(3)?;
    let subject = match r.choice()? {
        0 => SubjectPermissions::Explicit(seq_of(r, 2, |r| {
            let p = r.preamble(1)?;
            let psid = r.uint()?;
            let ssp_range = if p.get(0) {
                Some(match r.choice()? {
                    0 => SspRange::Opaque(seq_of(r, 1, |r| Ok(r.octets()?.to_vec()))?),
                    1 => SspRange::All,
                    2 => {
                        let body = r.open()?;
                        let mut inner = Reader::new(body);
                        let value = inner.octets()?.to_vec();
                        let mask = inner.octets()?.to_vec();
                        inner.finish()?;
                        SspRange::Bitmap { value, mask }
                    }
                    _ => {
                        r.open()?;
                        SspRange::Unknown
                    }
                })
            } else {
                None
            };
            Ok(PsidSspRange { psid, ssp_range })
        })?),
        1 => SubjectPermissions::All,
        _ => {
            r.open()?;
            SubjectPermissions::Unknown
        }
    };
    let min_chain_length = if pre.get(0) { r.int()? } else { 1 };
    let chain_length_range = if pre.get(1) { r.int()? } else { 0 };
    let ee_type = if pre.get(2) { r.u8()? } else { EE_APP };
    Ok(PsidGroupPermissions {
        subject,
        min_chain_length,
        chain_length_range,
        ee_type,
    })
}

/// A certificate to encode and sign (used by the test PKI): issuer and the to-be-signed
/// fields. `has_encryption_key` is not encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertTemplate {
    /// Issuer.
    pub issuer: Issuer,
    /// The `ToBeSignedCertificate` fields.
    pub fields: TbsCertificate,
}

impl CertTemplate {
    /// COER of the `ToBeSignedCertificate`.
    pub fn encode_tbs(&self) -> Vec<u8> {
        let f = &self.fields;
        let mut w = Writer::new();
        let mut pre = 0u8;
        if f.region.is_some() {
            pre |= 0x40;
        }
        if f.assurance_level.is_some() {
            pre |= 0x20;
        }
        if !f.app_permissions.is_empty() {
            pre |= 0x10;
        }
        if !f.issue_permissions.is_empty() {
            pre |= 0x08;
        }
        if !f.request_permissions.is_empty() {
            pre |= 0x04;
        }
        if f.can_request_rollover {
            pre |= 0x02;
        }
        w.u8(pre);
        match &f.id {
            CertId::Linkage { i_cert, value } => {
                w.choice(0).u8(0).u16(*i_cert).bytes(value);
            }
            CertId::Name(n) => {
                w.choice(1).octets(n.as_bytes());
            }
            CertId::Binary(b) => {
                w.choice(2).octets(b);
            }
            CertId::None | CertId::Unknown => {
                w.choice(3);
            }
        }
        w.bytes(&f.craca_id).u16(f.crl_series);
        w.u32(f.validity.start_time32)
            .choice(f.validity.unit.index())
            .u16(f.validity.value);
        if let Some(region) = &f.region {
            encode_region(&mut w, region);
        }
        if let Some(a) = f.assurance_level {
            w.u8(a);
        }
        if !f.app_permissions.is_empty() {
            w.uint(f.app_permissions.len() as u64);
            for p in &f.app_permissions {
                w.u8(if p.ssp.is_some() { 0x80 } else { 0 });
                w.uint(p.psid);
                match &p.ssp {
                    Some(Ssp::Opaque(b)) => {
                        w.choice(0).octets(b);
                    }
                    Some(Ssp::Bitmap(b)) => {
                        w.choice(1).open(|w| {
                            w.octets(b);
                        });
                    }
                    Some(Ssp::Unknown) => {
                        w.choice(0).octets(&[]);
                    }
                    None => {}
                }
            }
        }
        for list in [&f.issue_permissions, &f.request_permissions] {
            if !list.is_empty() {
                w.uint(list.len() as u64);
                for g in list {
                    encode_group(&mut w, g);
                }
            }
        }
        match &f.verify_key {
            VerifyKeyIndicator::Key(k) => {
                w.choice(0);
                k.encode(&mut w);
            }
            VerifyKeyIndicator::Reconstruction(p) => {
                w.choice(1);
                p.encode(&mut w);
            }
            VerifyKeyIndicator::Unknown => {
                w.choice(1);
                CurvePoint::Fill.encode(&mut w);
            }
        }
        w.into_bytes()
    }

    /// COER of the whole certificate from an encoded `ToBeSignedCertificate` and a signature
    /// (left out for an implicit certificate, one with a reconstruction value).
    pub fn encode_certificate(&self, tbs: &[u8], signature: &Signature) -> Vec<u8> {
        let implicit = matches!(
            self.fields.verify_key,
            VerifyKeyIndicator::Reconstruction(_)
        );
        let mut w = Writer::new();
        if implicit {
            w.u8(0).u8(3).u8(1);
        } else {
            w.u8(0x80).u8(3).u8(0);
        }
        match self.issuer {
            Issuer::Digest(HashAlg::Sha256, id) => {
                w.choice(0).bytes(&id);
            }
            Issuer::SelfSigned(h) => {
                w.choice(1).u8(h.to_u8());
            }
            Issuer::Digest(h, id) => {
                w.choice(if h == HashAlg::Sha384 { 2 } else { 3 })
                    .open(|w| {
                        w.bytes(&id);
                    });
            }
        }
        w.bytes(tbs);
        if !implicit {
            signature.encode(&mut w);
        }
        w.into_bytes()
    }
}

fn encode_2d(w: &mut Writer, p: &TwoDLocation) {
    w.i32(p.lat).i32(p.lon);
}

fn encode_region(w: &mut Writer, region: &Region) {
    match region {
        Region::Circular { center, radius_m } => {
            w.choice(0);
            encode_2d(w, center);
            w.u16(*radius_m);
        }
        Region::Rectangular(rects) => {
            w.choice(1).uint(rects.len() as u64);
            for rc in rects {
                encode_2d(w, &rc.north_west);
                encode_2d(w, &rc.south_east);
            }
        }
        Region::Polygonal(pts) => {
            w.choice(2).uint(pts.len() as u64);
            for p in pts {
                encode_2d(w, p);
            }
        }
        Region::Identified(ids) => {
            w.choice(3).uint(ids.len() as u64);
            for id in ids {
                match id {
                    IdentifiedRegion::Country(c) => {
                        w.choice(0).u16(*c);
                    }
                    IdentifiedRegion::CountryAndRegions { country, regions } => {
                        w.choice(1).u16(*country).uint(regions.len() as u64);
                        for r in regions {
                            w.u8(*r);
                        }
                    }
                    IdentifiedRegion::CountryAndSubregions { country, regions } => {
                        w.choice(2).u16(*country).uint(regions.len() as u64);
                        for (r, subs) in regions {
                            w.u8(*r).uint(subs.len() as u64);
                            for s in subs {
                                w.u16(*s);
                            }
                        }
                    }
                    IdentifiedRegion::Unknown => {
                        w.choice(0).u16(0);
                    }
                }
            }
        }
        Region::Unknown => {
            w.choice(3).uint(0);
        }
    }
}

fn encode_group(w: &mut Writer, g: &PsidGroupPermissions) {
    let mut pre = 0u8;
    if g.min_chain_length != 1 {
        pre |= 0x80;
    }
    if g.chain_length_range != 0 {
        pre |= 0x40;
    }
    if g.ee_type != EE_APP {
        pre |= 0x20;
    }
    w.u8(pre);
    match &g.subject {
        SubjectPermissions::Explicit(list) => {
            w.choice(0).uint(list.len() as u64);
            for p in list {
                w.u8(if p.ssp_range.is_some() { 0x80 } else { 0 });
                w.uint(p.psid);
                match &p.ssp_range {
                    Some(SspRange::Opaque(vals)) => {
                        w.choice(0).uint(vals.len() as u64);
                        for v in vals {
                            w.octets(v);
                        }
                    }
                    Some(SspRange::All) | Some(SspRange::Unknown) => {
                        w.choice(1);
                    }
                    Some(SspRange::Bitmap { value, mask }) => {
                        w.choice(2).open(|w| {
                            w.octets(value).octets(mask);
                        });
                    }
                    None => {}
                }
            }
        }
        SubjectPermissions::All | SubjectPermissions::Unknown => {
            w.choice(1);
        }
    }
    if g.min_chain_length != 1 {
        w.int(g.min_chain_length);
    }
    if g.chain_length_range != 0 {
        w.int(g.chain_length_range);
    }
    if g.ee_type != EE_APP {
        w.u8(g.ee_type);
    }
}
