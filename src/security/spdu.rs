//! Secured PDUs: `Ieee1609Dot2Data` of IEEE 1609.2 protocol version 3 and its `SignedData`,
//! read without copying. [`SignedData::tbs`] is the original encoding of `ToBeSignedData`, the
//! exact bytes the signature covers.

use alloc::vec::Vec;

use super::cert::{Certificate, HashAlg, HashedId3, HashedId8, Signature};
use super::coer::{Reader, Writer};
use super::error::{MalformedKind, Result, SecurityError};

/// Most certificates accepted in a `SequenceOfCertificate` signer.
pub const MAX_SIGNER_CERTIFICATES: usize = 4;
/// Deepest nesting of `Ieee1609Dot2Data` inside a signed payload.
const MAX_NESTING: u8 = 2;

/// `ThreeDLocation` of a header: 1/10 µdeg latitude and longitude, elevation in decimetres
/// (1609.2 `Elevation`, offset encoded as sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreeDLocation {
    /// Latitude, 1/10 µdeg.
    pub lat: i32,
    /// Longitude, 1/10 µdeg.
    pub lon: i32,
    /// Elevation as encoded.
    pub elevation: u16,
}

/// `HeaderInfo`: the fields the verifier uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderInfo<'a> {
    /// AID (PSID).
    pub psid: u64,
    /// `generationTime`, TAI µs since 2004 (`Time64`).
    pub generation_time: Option<u64>,
    /// `expiryTime`, TAI µs since 2004.
    pub expiry_time: Option<u64>,
    /// `generationLocation`.
    pub generation_location: Option<ThreeDLocation>,
    /// `p2pcdLearningRequest`.
    pub p2pcd_learning_request: Option<HashedId3>,
    /// `missingCrlIdentifier`: CRACA id and CRL series.
    pub missing_crl: Option<(HashedId3, u16)>,
    /// `inlineP2pcdRequest` (extension): the raw `SequenceOfHashedId3` encoding.
    pub inline_p2pcd_request: Option<&'a [u8]>,
    /// `requestedCertificate` (extension): a certificate's encoding.
    pub requested_certificate: Option<&'a [u8]>,
}

impl<'a> HeaderInfo<'a> {
    /// The certificates a peer asks for in this header (`p2pcdLearningRequest` first, then the
    /// `inlineP2pcdRequest` list), by HashedId3. A malformed list yields nothing of it.
    pub fn certificate_requests(&self) -> impl Iterator<Item = HashedId3> + 'a {
        let list = self
            .inline_p2pcd_request
            .and_then(|body| {
                let mut r = Reader::new(body);
                let n = r.count(3).ok()?;
                let items = r.take(n.checked_mul(3)?).ok()?;
                r.finish().ok()?;
                Some(items)
            })
            .unwrap_or(&[]);
        self.p2pcd_learning_request
            .into_iter()
            .chain(list.chunks_exact(3).map(|c| [c[0], c[1], c[2]]))
    }
}

/// `SignedDataPayload`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// Nested `unsecuredData`: the application bytes (for C-V2X, the UPER MessageFrame).
    Unsecured(&'a [u8]),
    /// Nested signed data: the encoding of the inner `Ieee1609Dot2Data`.
    Nested(&'a [u8]),
    /// Only `extDataHash` (hash of data sent elsewhere).
    ExternalHash,
}

/// `SignerIdentifier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// `digest`: the signer certificate's HashedId8.
    Digest(HashedId8),
    /// `certificate`: the signer certificate first, then (optionally) its issuers.
    Certificates(Vec<Certificate>),
    /// `self`.
    SelfSigned,
}

/// `SignedData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData<'a> {
    /// `hashId`.
    pub hash_alg: HashAlg,
    /// Original encoding of `ToBeSignedData`.
    pub tbs: &'a [u8],
    /// Payload.
    pub payload: Payload<'a>,
    /// Header.
    pub header: HeaderInfo<'a>,
    /// Signer.
    pub signer: Signer,
    /// Signature.
    pub signature: Signature,
}

/// `Ieee1609Dot2Content`.
#[allow(clippy::large_enum_variant)] // parsed once per message on the stack; boxing would allocate
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content<'a> {
    /// `unsecuredData`.
    Unsecured(&'a [u8]),
    /// `signedData`.
    Signed(SignedData<'a>),
    /// `encryptedData` (not parsed further).
    Encrypted,
    /// `signedCertificateRequest` or an extension alternative.
    Other,
}

/// Parses a complete `Ieee1609Dot2Data` (no trailing bytes).
///
/// A protocol version other than 3 gives [`SecurityError::IncompatibleProtocol`]; content that is
/// not signed is returned as such (the verifier turns it into [`SecurityError::Unsigned`]).
pub fn parse(bytes: &[u8]) -> Result<Content<'_>> {
    let mut r = Reader::new(bytes);
    let c = parse_data(&mut r, 0)?;
    if matches!(c, Content::Signed(_) | Content::Unsecured(_)) {
        r.finish()?;
    }
    Ok(c)
}

fn parse_data<'a>(r: &mut Reader<'a>, depth: u8) -> Result<Content<'a>> {
    if depth > MAX_NESTING {
        return Err(r.err(MalformedKind::TooDeep));
    }
    let version = r.u8()?;
    if version != 3 {
        return Err(SecurityError::IncompatibleProtocol(version));
    }
    Ok(match r.choice()? {
        0 => Content::Unsecured(r.octets()?),
        1 => Content::Signed(parse_signed(r, depth)?),
        2 => Content::Encrypted,
        3 => {
            r.octets()?;
            Content::Other
        }
        _ => {
            r.open()?;
            Content::Other
        }
    })
}

fn parse_signed<'a>(r: &mut Reader<'a>, depth: u8) -> Result<SignedData<'a>> {
    let hash_alg = HashAlg::from_u8(r.u8()?, r)?;
    let tbs_start = r.pos();
    // SignedDataPayload
    let pre = r.preamble(3)?;
    let payload = if pre.get(1) {
        let start = r.pos();
        match parse_data(r, depth + 1)? {
            Content::Unsecured(b) => Payload::Unsecured(b),
            Content::Signed(_) => Payload::Nested(r.since(start)),
            _ => return Err(SecurityError::UnsupportedPayload),
        }
    } else {
        Payload::ExternalHash
    };
    if pre.get(2) {
        match r.choice()? {
            0 => {
                r.take(32)?;
            }
            _ => {
                r.open()?;
            }
        }
    } else if !pre.get(1) && !pre.get(0) {
        return Err(r.err(MalformedKind::BadValue));
    }
    if pre.get(0) {
        let bitmap = r.extension_bitmap()?;
        r.skip_extensions(bitmap)?;
    }
    let header = parse_header(r)?;
    let tbs = r.since(tbs_start);
    let signer = match r.choice()? {
        0 => Signer::Digest(r.array()?),
        1 => {
            let n = r.count(40)?;
            if n == 0 || n > MAX_SIGNER_CERTIFICATES {
                return Err(r.err(MalformedKind::TooMany));
            }
            let mut certs = Vec::with_capacity(n);
            for _ in 0..n {
                certs.push(Certificate::parse(r)?);
            }
            Signer::Certificates(certs)
        }
        2 => Signer::SelfSigned,
        _ => return Err(SecurityError::UnsupportedSignerType),
    };
    let signature = Signature::parse(r)?;
    Ok(SignedData {
        hash_alg,
        tbs,
        payload,
        header,
        signer,
        signature,
    })
}

fn parse_header<'a>(r: &mut Reader<'a>) -> Result<HeaderInfo<'a>> {
    let pre = r.preamble(7)?;
    let mut h = HeaderInfo {
        psid: r.uint()?,
        ..HeaderInfo::default()
    };
    if pre.get(1) {
        h.generation_time = Some(r.u64()?);
    }
    if pre.get(2) {
        h.expiry_time = Some(r.u64()?);
    }
    if pre.get(3) {
        h.generation_location = Some(ThreeDLocation {
            lat: r.i32()?,
            lon: r.i32()?,
            elevation: r.u16()?,
        });
    }
    if pre.get(4) {
        h.p2pcd_learning_request = Some(r.array()?);
    }
    if pre.get(5) {
        let p = r.preamble(1)?;
        h.missing_crl = Some((r.array()?, r.u16()?));
        if p.get(0) {
            let bitmap = r.extension_bitmap()?;
            r.skip_extensions(bitmap)?;
        }
    }
    if pre.get(6) {
        // EncryptionKey: public (PublicEncryptionKey) or symmetric.
        match r.choice()? {
            0 => {
                r.u8()?;
                match r.choice()? {
                    0 | 1 => {
                        super::cert::CurvePoint::parse(r)?;
                    }
                    _ => {
                        r.open()?;
                    }
                }
            }
            1 => match r.choice()? {
                0 => {
                    r.take(16)?;
                }
                _ => {
                    r.open()?;
                }
            },
            _ => return Err(r.err(MalformedKind::BadTag)),
        }
    }
    if pre.get(0) {
        let bitmap = r.extension_bitmap()?;
        for i in 0..32 {
            if !bitmap.get(i) {
                continue;
            }
            let body = r.open()?;
            match i {
                0 => h.inline_p2pcd_request = Some(body),
                1 => h.requested_certificate = Some(body),
                _ => {}
            }
        }
    }
    Ok(h)
}

/// The header fields a signer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderFields {
    /// AID.
    pub psid: u64,
    /// Generation time, TAI µs since 2004.
    pub generation_time: Option<u64>,
    /// Expiry time, TAI µs since 2004.
    pub expiry_time: Option<u64>,
    /// Generation location.
    pub generation_location: Option<ThreeDLocation>,
    /// `p2pcdLearningRequest`.
    pub p2pcd_learning_request: Option<HashedId3>,
}

/// COER of a `ToBeSignedData` carrying `payload` as unsecured data.
pub fn encode_tbs(payload: &[u8], header: &HeaderFields) -> Vec<u8> {
    let mut w = Writer::new();
    w.u8(0x40).u8(3).choice(0).octets(payload);
    let mut pre = 0u8;
    // preamble: extension bit, then one bit per optional field (7 bits, MSB first)
    if header.generation_time.is_some() {
        pre |= 0x40;
    }
    if header.expiry_time.is_some() {
        pre |= 0x20;
    }
    if header.generation_location.is_some() {
        pre |= 0x10;
    }
    if header.p2pcd_learning_request.is_some() {
        pre |= 0x08;
    }
    w.u8(pre).uint(header.psid);
    if let Some(t) = header.generation_time {
        w.u64(t);
    }
    if let Some(t) = header.expiry_time {
        w.u64(t);
    }
    if let Some(l) = header.generation_location {
        w.i32(l.lat).i32(l.lon).u16(l.elevation);
    }
    if let Some(h) = header.p2pcd_learning_request {
        w.bytes(&h);
    }
    w.into_bytes()
}

/// How an encoded SPDU names its signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerRef<'c> {
    /// `digest`.
    Digest(HashedId8),
    /// `certificate` with this one certificate.
    Certificate(&'c [u8]),
}

/// COER of a complete signed `Ieee1609Dot2Data`.
pub fn encode_signed(
    hash_alg: HashAlg,
    tbs: &[u8],
    signer: SignerRef<'_>,
    signature: &Signature,
) -> Vec<u8> {
    let mut w = Writer::new();
    w.u8(3).choice(1).u8(hash_alg.to_u8()).bytes(tbs);
    match signer {
        SignerRef::Digest(id) => {
            w.choice(0).bytes(&id);
        }
        SignerRef::Certificate(c) => {
            w.choice(1).uint(1).bytes(c);
        }
    }
    signature.encode(&mut w);
    w.into_bytes()
}

#[cfg(test)]
mod request_tests {
    use super::*;

    #[test]
    fn certificate_requests_come_from_the_learning_request_and_the_inline_list() {
        // SequenceOfHashedId3: quantity (one length octet, then 2) and two HashedId3.
        let list = [0x01, 0x02, 1, 2, 3, 4, 5, 6];
        let h = HeaderInfo {
            p2pcd_learning_request: Some([9, 9, 9]),
            inline_p2pcd_request: Some(&list),
            ..HeaderInfo::default()
        };
        let ids: Vec<HashedId3> = h.certificate_requests().collect();
        assert_eq!(ids, [[9, 9, 9], [1, 2, 3], [4, 5, 6]]);
        // A count the bytes cannot hold, or trailing bytes: the list is ignored.
        for bad in [
            &[0x01, 0x03, 1, 2, 3, 4, 5, 6][..],
            &[0x01, 0x01, 1, 2, 3, 4][..],
        ] {
            let h = HeaderInfo {
                inline_p2pcd_request: Some(bad),
                ..HeaderInfo::default()
            };
            assert_eq!(h.certificate_requests().count(), 0, "{bad:?}");
        }
    }
}
