//! The real SM2 PKI of a deployed OBU (tests/data/real/wanji_obu_pki_sm2, see its SOURCE.md):
//! its two signed trust lists verify and load, its pseudonym certificates verify only with the
//! permission relaxation, the CICV sub-CAs only with the validity and chain-length relaxations,
//! and no relaxation lets a bad signature, an expired or a revoked certificate through.

use cv2x::security::cert::{Certificate, HashAlg};
use cv2x::security::ctl::{Ctl, CtlError, EntryStatus};
use cv2x::security::{Config, Relaxation, RelaxationSet, SecurityError, Verifier};
use cv2x::time::Timestamp;

fn data(rel: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/data/real/wanji_obu_pki_sm2/{rel}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// 2021-01-01T00:00:00Z, when every certificate of the Datang chain and the pseudonyms is valid.
fn at_2021() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_609_459_200_000)
}

fn utc(unix_s: i64) -> Timestamp {
    Timestamp::from_unix_utc_millis(unix_s * 1000)
}

fn hex8(s: &str) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

const DATANG_ROOT: &str = "26deec8eeb3f5ffb";
const CICV_ROOT: &str = "468280669ca1f54e";
const DATANG_CTL: &str = "ctl/ctl.datangmobile.cn.coer";
const CICV_CTL: &str = "ctl/cicv.pctl";
const CICV_ROOT_CERT: &str = "ctl_extracted/cicv_5883_rootca.china-icv.cn.coer";

fn verifier(relax: &[Relaxation], trust: &str, certs: &[&str]) -> Verifier {
    let mut v = Verifier::new(Config {
        relax: relax.iter().copied().collect(),
        ..Config::default()
    });
    v.add_trust_anchor(&data(trust)).unwrap();
    for c in certs {
        v.add_certificate(&data(c)).unwrap();
    }
    v
}

fn datang(relax: &[Relaxation]) -> Verifier {
    verifier(relax, "certs/RCA.oer", &["certs/ICA.oer", "certs/PCA.oer"])
}

const ALL: [Relaxation; 3] = Relaxation::ALL;

#[test]
fn the_twenty_pseudonym_certificates_need_exactly_the_permission_relaxation() {
    let mut strict = datang(&[]);
    let mut relaxed = datang(&[Relaxation::EePermissionsOutsideIssuer]);
    for i in 0..20 {
        let pc = data(&format!("certs/pc_{i}.oer"));
        // AIDs 113 and 114 are not in the PCA's certIssuePermissions
        let c = Certificate::from_bytes(&pc).unwrap();
        let aids: Vec<u64> = c.app_permissions.iter().map(|p| p.psid).collect();
        assert_eq!(aids, [111, 112, 113, 114, 3624], "pc_{i}");
        assert_eq!(
            strict.verify_chain(&pc, &[], at_2021()),
            Err(SecurityError::IssuerNotPermitted),
            "pc_{i}"
        );
        let chain = relaxed.verify_chain(&pc, &[], at_2021()).unwrap();
        assert_eq!(chain.anchor, hex8(DATANG_ROOT));
        assert_eq!(chain.length, 4);
        assert_eq!(
            chain.relaxations,
            RelaxationSet::EMPTY.with(Relaxation::EePermissionsOutsideIssuer),
            "pc_{i}"
        );
        // The other relaxations do not help.
        let mut other = datang(&[
            Relaxation::ValidityNotNested,
            Relaxation::ChainLengthConstraints,
        ]);
        assert_eq!(
            other.verify_chain(&pc, &[], at_2021()),
            Err(SecurityError::IssuerNotPermitted)
        );
    }
    let counts = relaxed.relaxation_counts();
    assert_eq!(counts.get(Relaxation::EePermissionsOutsideIssuer), 20);
    assert_eq!(counts.get(Relaxation::ValidityNotNested), 0);
    assert_eq!(
        strict
            .relaxation_counts()
            .get(Relaxation::EePermissionsOutsideIssuer),
        0
    );
    // The Datang CAs and the RSU application certificate need no relaxation.
    let mut v = verifier(&ALL, "certs/RCA.oer", &["certs/ICA.oer", "certs/ACA.oer"]);
    for c in ["certs/ECA.oer", "certs/PCA.oer", "certs/ac_app_cert.oer"] {
        let chain = v.verify_chain(&data(c), &[], at_2021()).unwrap();
        assert!(chain.relaxations.is_empty(), "{c}");
    }
}

#[test]
fn cicv_sub_cas_need_the_validity_relaxation_and_time_stays_strict() {
    let eca = data("ctl_extracted/cicv_0229_eca.Apollo.auto.coer");
    let ica = ["ctl_extracted/cicv_0026_ica.Apollo.auto.coer"];
    let mut strict = verifier(&[], CICV_ROOT_CERT, &ica);
    assert_eq!(
        strict.verify_chain(&eca, &[], at_2021()),
        Err(SecurityError::ValidityNotInsideIssuer)
    );
    let mut relaxed = verifier(&[Relaxation::ValidityNotNested], CICV_ROOT_CERT, &ica);
    let chain = relaxed.verify_chain(&eca, &[], at_2021()).unwrap();
    assert_eq!(chain.anchor, hex8(CICV_ROOT));
    assert_eq!(
        chain.relaxations,
        RelaxationSet::EMPTY.with(Relaxation::ValidityNotNested)
    );
    // The ECA ends 2023-08-28T09:27:34Z, its ICA 2023-08-25T09:27:36Z. In between, the ECA alone
    // is valid but the chain is not: the relaxation does not stretch time.
    let between = utc(1_693_008_000); // 2023-08-26T00:00:00Z
    let mut fresh = verifier(&ALL, CICV_ROOT_CERT, &ica);
    assert_eq!(
        fresh.verify_chain(&eca, &[], between),
        Err(SecurityError::CertificateExpired)
    );
    // Nor does the cached chain: verified before, refused after the ICA ended.
    let mut cached = verifier(&ALL, CICV_ROOT_CERT, &ica);
    cached.verify_chain(&eca, &[], at_2021()).unwrap();
    assert_eq!(
        cached.verify_chain(&eca, &[], between),
        Err(SecurityError::CertificateExpired)
    );
}

#[test]
fn cicv_registration_authorities_need_the_chain_length_relaxation() {
    // RA directly under an ICA; the CICV root's groups require a chain of 3 below it.
    let ra = data("ctl_extracted/cicv_10256_ra.bjca.org.cn.coer");
    let ica = ["ctl_extracted/cicv_9577_ica.bjca.org.cn.coer"];
    for relax in [&[][..], &[Relaxation::ValidityNotNested][..]] {
        assert_eq!(
            verifier(relax, CICV_ROOT_CERT, &ica).verify_chain(&ra, &[], at_2021()),
            Err(SecurityError::ExcessiveChainLength)
        );
    }
    let chain = verifier(&[Relaxation::ChainLengthConstraints], CICV_ROOT_CERT, &ica)
        .verify_chain(&ra, &[], at_2021())
        .unwrap();
    assert_eq!(
        chain.relaxations,
        RelaxationSet::EMPTY.with(Relaxation::ChainLengthConstraints)
    );

    // The Apollo PRA needs both, whether its ICA is verified with it or cached before.
    let pra = data("ctl_extracted/cicv_0663_pra.Apollo.auto.coer");
    let apollo = ["ctl_extracted/cicv_0026_ica.Apollo.auto.coer"];
    let both = [
        Relaxation::ValidityNotNested,
        Relaxation::ChainLengthConstraints,
    ];
    let mut v = verifier(&[Relaxation::ValidityNotNested], CICV_ROOT_CERT, &apollo);
    assert_eq!(
        v.verify_chain(&pra, &[], at_2021()),
        Err(SecurityError::ExcessiveChainLength)
    );
    for warm in [false, true] {
        let mut v = verifier(&both, CICV_ROOT_CERT, &apollo);
        if warm {
            v.verify_chain(&data(apollo[0]), &[], at_2021()).unwrap();
        }
        let chain = v.verify_chain(&pra, &[], at_2021()).unwrap();
        assert_eq!(chain.relaxations, both.into_iter().collect(), "warm {warm}");
    }
    // A strict verifier with the ICA cached still refuses the PRA for its chain length.
    let mut v = verifier(&[Relaxation::ValidityNotNested], CICV_ROOT_CERT, &ica);
    v.verify_chain(&data(ica[0]), &[], at_2021()).unwrap();
    assert_eq!(
        v.verify_chain(&ra, &[], at_2021()),
        Err(SecurityError::ExcessiveChainLength)
    );
}

#[test]
fn no_relaxation_lets_a_bad_signature_an_expired_or_a_revoked_certificate_through() {
    // Real sub-CAs whose signature does not verify.
    let mut v = verifier(
        &ALL,
        "certs/RCA.oer",
        &["ctl_extracted/datang_2360_www.i-wall.cn.coer"],
    );
    assert_eq!(
        v.verify_chain(
            &data("ctl_extracted/datang_2132_eca.i-wall.cn.coer"),
            &[],
            at_2021()
        ),
        Err(SecurityError::CertificateSignatureInvalid)
    );
    // A pseudonym certificate with one signature bit flipped.
    let mut pc = data("certs/pc_0.oer");
    let last = pc.len() - 1;
    pc[last] ^= 0x01;
    assert_eq!(
        datang(&ALL).verify_chain(&pc, &[], at_2021()),
        Err(SecurityError::CertificateSignatureInvalid)
    );
    let pc = data("certs/pc_0.oer");
    // Expired: pc_0 ends 2021-08-30T17:49:07Z.
    assert_eq!(
        datang(&ALL).verify_chain(&pc, &[], utc(1_630_454_400)), // 2021-09-01
        Err(SecurityError::CertificateExpired)
    );
    // Revoked: the PCA, or the pseudonym itself, also once its chain was cached.
    let mut v = datang(&ALL);
    v.revoke(hex8("4bfa0e90c0305179"));
    assert_eq!(
        v.verify_chain(&pc, &[], at_2021()),
        Err(SecurityError::Revoked)
    );
    let mut v = datang(&ALL);
    let c = Certificate::from_bytes(&pc).unwrap();
    let id8: [u8; 8] = v.certificate_hash(&c)[24..].try_into().unwrap();
    v.verify_chain(&pc, &[], at_2021()).unwrap();
    v.revoke(id8);
    assert_eq!(
        v.verify_chain(&pc, &[], at_2021()),
        Err(SecurityError::Revoked)
    );
}

fn entry_codes(
    load: &cv2x::security::ctl::CtlLoad,
) -> std::collections::BTreeMap<&'static str, usize> {
    let mut m = std::collections::BTreeMap::new();
    for e in &load.entries {
        *m.entry(e.status.code()).or_default() += 1;
    }
    m
}

#[test]
fn both_real_trust_lists_parse_to_every_byte() {
    for (file, signer, seq, issue, next, groups) in [
        (
            DATANG_CTL,
            DATANG_ROOT,
            1,
            0x1f5e_2a45,
            0x322c_d045,
            vec![4, 5, 4, 4, 5, 8],
        ),
        (
            CICV_CTL,
            CICV_ROOT,
            2,
            0x1f5b_d49d,
            0x1f69_039d,
            vec![6, 5, 3, 4, 6, 2, 2, 3, 6, 5, 1, 4, 6],
        ),
    ] {
        let bytes = data(file);
        let ctl = Ctl::parse(&bytes).unwrap();
        assert_eq!(ctl.version, 1);
        assert_eq!(ctl.signer, hex8(signer), "{file}");
        assert_eq!(ctl.signer_hash, HashAlg::Sm3);
        assert_eq!(ctl.sequence_number, seq);
        assert_eq!((ctl.issue_date, ctl.next_update), (issue, next));
        let counts: Vec<usize> = ctl.groups.iter().map(|g| g.certificates.len()).collect();
        assert_eq!(counts, groups, "{file}");
        assert_eq!(ctl.tbs().len(), bytes.len() - 66);
        // Re-encoding the parsed fields gives the signed bytes back: every byte is accounted for.
        let template = ctl.to_template();
        assert_eq!(template.encode_tbs(), ctl.tbs(), "{file}");
    }
    let bytes = data(CICV_CTL);
    let cicv = Ctl::parse(&bytes).unwrap();
    assert_eq!(cicv.groups[0].crl_host, Some("crl.Apollo.auto"));
    assert_eq!(cicv.groups[0].ma_host, Some("ma.Apollo.auto"));
    assert_eq!(cicv.groups[12].crl_host, Some("crl.iov.jit.com.cn"));
    let bytes = data(DATANG_CTL);
    let datang = Ctl::parse(&bytes).unwrap();
    assert!(
        datang
            .groups
            .iter()
            .all(|g| g.crl_host.is_none() && g.ma_host.is_none())
    );
}

#[test]
fn the_datang_list_verifies_and_loads_its_cas() {
    let mut v = verifier(
        &[Relaxation::EePermissionsOutsideIssuer],
        "certs/RCA.oer",
        &[],
    );
    // Before loading, a pseudonym does not chain: its PCA and ICA are unknown.
    let pc = data("certs/pc_7.oer");
    assert_eq!(
        v.verify_chain(&pc, &[], at_2021()),
        Err(SecurityError::UnknownIssuer)
    );
    let load = v.load_ctl(&data(DATANG_CTL), at_2021()).unwrap();
    assert_eq!(load.verified.signer, hex8(DATANG_ROOT));
    assert!(!load.verified.stale);
    let codes = entry_codes(&load);
    assert_eq!(codes.get("added"), Some(&16));
    assert_eq!(codes.get("trust_anchor"), Some(&2)); // the root, listed twice
    assert_eq!(codes.get("self_signed_not_trusted"), Some(&1)); // the odd implicit certificate
    assert_eq!(codes.get("unknown_issuer"), Some(&8)); // koal CAs: issuer not in the list
    assert_eq!(codes.get("certificate_signature_invalid"), Some(&3)); // i-wall sub-CAs
    assert_eq!((load.added(), load.rejected()), (16, 12));
    for e in &load.entries {
        if let EntryStatus::Added(chain) = e.status {
            assert_eq!(chain.anchor, hex8(DATANG_ROOT));
            assert!(chain.relaxations.is_empty());
        }
    }
    // After loading, every pseudonym chains through the listed PCA and ICA.
    for i in 0..20 {
        let pc = data(&format!("certs/pc_{i}.oer"));
        let chain = v.verify_chain(&pc, &[], at_2021()).unwrap();
        assert_eq!(chain.length, 4);
    }
}

#[test]
fn the_cicv_list_verifies_is_stale_and_loads_with_the_relaxations_it_needs() {
    let bytes = data(CICV_CTL);
    let mut strict = verifier(&[], CICV_ROOT_CERT, &[]);
    let load = strict.load_ctl(&bytes, at_2021()).unwrap();
    assert!(load.verified.stale, "next update was 2020-09-12");
    let codes = entry_codes(&load);
    // The same split as the independent check of SOURCE.md: 19 sub-CAs outliving their ICAs
    // (the JIT ones also badly signed), 8 RAs directly under an ICA, shorter than the root's
    // minChainLength of 3.
    assert_eq!(codes.get("added"), Some(&25));
    assert_eq!(codes.get("validity_not_inside_issuer"), Some(&19));
    assert_eq!(codes.get("excessive_chain_length"), Some(&8));
    assert_eq!(codes.get("trust_anchor"), Some(&1));

    let mut relaxed = verifier(
        &[
            Relaxation::ValidityNotNested,
            Relaxation::ChainLengthConstraints,
        ],
        CICV_ROOT_CERT,
        &[],
    );
    let load = relaxed.load_ctl(&bytes, at_2021()).unwrap();
    let codes = entry_codes(&load);
    assert_eq!(codes.get("added"), Some(&47));
    // the five JIT sub-CAs: signatures invalid, whatever the policy
    assert_eq!(codes.get("certificate_signature_invalid"), Some(&5));
    let counts = relaxed.relaxation_counts();
    assert_eq!(counts.get(Relaxation::ValidityNotNested), 21);
    assert_eq!(counts.get(Relaxation::ChainLengthConstraints), 8);
    // A current list is required: the stale list is refused.
    let mut current = Verifier::new(Config {
        require_current_trust_list: true,
        ..Config::default()
    });
    current.add_trust_anchor(&data(CICV_ROOT_CERT)).unwrap();
    assert_eq!(
        current.load_ctl(&bytes, at_2021()).unwrap_err(),
        CtlError::Stale
    );
    // Within its window it is current.
    let in_window = utc(1_599_436_800); // 2020-09-07
    assert!(!current.load_ctl(&bytes, in_window).unwrap().verified.stale);
}

#[test]
fn a_list_verifies_only_against_its_own_root_and_untouched() {
    let bytes = data(DATANG_CTL);
    let mut wrong = verifier(&[], CICV_ROOT_CERT, &[]);
    assert_eq!(
        wrong.load_ctl(&bytes, at_2021()).unwrap_err(),
        CtlError::SignerNotTrusted(hex8(DATANG_ROOT))
    );
    // A changed letter in a certificate's name, the sequence number or a signature byte: the
    // list still parses, and its signature fails.
    for at in [50, 12, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x01;
        assert!(Ctl::parse(&bad).is_ok());
        let mut v = verifier(&[], "certs/RCA.oer", &[]);
        assert_eq!(
            v.load_ctl(&bad, at_2021()).unwrap_err(),
            CtlError::SignatureInvalid,
            "byte {at}"
        );
    }
    // Before the root existed (2020-08-26), the list cannot verify.
    let mut v = verifier(&[], "certs/RCA.oer", &[]);
    assert_eq!(
        v.load_ctl(&bytes, utc(1_577_836_800)).unwrap_err(), // 2020-01-01
        CtlError::SignerNotValid
    );
    // A truncated list is malformed, at the point where it ends.
    let short = &bytes[..bytes.len() - 10];
    assert!(matches!(Ctl::parse(short), Err(CtlError::Malformed { .. })));
}
