//! AID defaults (Day I and the Day II values in use) and AID tables loaded from files: the
//! format of `cv2x::net::aid`, parsed strictly, and the vendor `ProtocolStack.ini` of a deployed
//! stack (tests/data/real/wanji_obu_pki_sm2, see its SOURCE.md).
use cv2x::net::aid::{
    AidTable, AidTableError, AidTableErrorKind, DAY1_TABLE, DAY2_TABLE, DEFAULT_TABLE, MAX,
};
use cv2x::net::dsmp::Repr;
use cv2x::net::{Aid, Dispatcher, Error, MessageClass};

fn packet(aid: Aid) -> Vec<u8> {
    Repr::new(aid, &[0x00, 0x12]).to_vec().unwrap()
}

fn vendor_ini() -> String {
    let path = format!(
        "{}/tests/data/real/wanji_obu_pki_sm2/ProtocolStack_AID_excerpt.ini",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_default_dispatcher_knows_the_day_ii_aids_in_use() {
    let expected = [
        (18, MessageClass::Pam),
        (19, MessageClass::Clpmm),
        (20, MessageClass::Psm),
        (21, MessageClass::Rsc),
        (22, MessageClass::Rtcm),
        (23, MessageClass::Ssm),
        (24, MessageClass::Vir),
        (25, MessageClass::Vpm),
        (26, MessageClass::Test),
    ];
    let mut d = Dispatcher::new();
    for (aid, class) in expected {
        assert_eq!(d.dispatch(&packet(Aid(aid))).unwrap().class, class, "{aid}");
        assert_eq!(class.default_aid(), Some(Aid(aid)));
    }
    assert_eq!(d.counters().class(MessageClass::Test), 1);
    assert_eq!(DAY2_TABLE.len(), expected.len());
    assert_eq!(DEFAULT_TABLE.len(), DAY1_TABLE.len() + DAY2_TABLE.len());
    assert_eq!(AidTable::defaults().entries().len(), DEFAULT_TABLE.len());
    // Day I unchanged.
    assert_eq!(
        d.dispatch(&packet(Aid(3618))).unwrap().class,
        MessageClass::Map
    );
    assert!(matches!(
        d.dispatch(&packet(Aid(27))),
        Err(Error::UnknownAid(Aid(27)))
    ));
}

#[test]
fn the_vendor_table_is_the_default_table() {
    let t = AidTable::parse_protocol_stack_ini(&vendor_ini()).unwrap();
    assert_eq!(t, AidTable::defaults());
    assert_eq!(AidTable::parse_any(&vendor_ini()).unwrap(), t);
    assert_eq!(t.lookup(Aid(3617)), Some(MessageClass::Bsm));
    assert_eq!(t.lookup(Aid(3622)), Some(MessageClass::Rsi));
    // and the table written in our format reads back the same
    let text = t.to_text();
    assert!(text.starts_with("18 pam\n"));
    assert_eq!(AidTable::parse(&text).unwrap(), t);
}

#[test]
fn a_table_file_replaces_the_defaults() {
    let text = "# a deployment that sends CLPMM under 3616\n\n3616 clpmm\n111 bsm   # ordinary\n";
    let t = AidTable::parse_any(text).unwrap();
    assert_eq!(
        t.entries(),
        &[
            (Aid(111), MessageClass::Bsm),
            (Aid(3616), MessageClass::Clpmm)
        ]
    );
    let mut d = Dispatcher::with_table(&t);
    assert_eq!(
        d.dispatch(&packet(Aid(3616))).unwrap().class,
        MessageClass::Clpmm
    );
    assert_eq!(
        d.dispatch(&packet(Aid(111))).unwrap().class,
        MessageClass::Bsm
    );
    for unknown in [19, 3618] {
        assert!(d.dispatch(&packet(Aid(unknown))).is_err(), "{unknown}");
    }
    assert_eq!(d.counters().unknown_aid, 2);
}

fn err(text: &str) -> AidTableError {
    AidTable::parse(text).unwrap_err()
}

#[test]
fn our_format_is_parsed_strictly_naming_line_and_problem() {
    let at = |line, kind| AidTableError { line, kind };
    assert_eq!(
        err("111 bsm\n3618 mapp\n"),
        at(2, AidTableErrorKind::UnknownClass("mapp".into()))
    );
    assert_eq!(
        err("111 bsm\n\n111 map\n"),
        at(
            3,
            AidTableErrorKind::DuplicateAid {
                aid: 111,
                first_line: 1
            }
        )
    );
    assert_eq!(
        err(&format!("{} bsm\n", u64::from(MAX) + 1)),
        at(1, AidTableErrorKind::AidOutOfRange("270549120".into()))
    );
    assert!(AidTable::parse(&format!("{MAX} test\n")).is_ok());
    assert_eq!(
        err("0x6f bsm\n"),
        at(1, AidTableErrorKind::BadAid("0x6f".into()))
    );
    assert_eq!(
        err("-1 bsm\n"),
        at(1, AidTableErrorKind::BadAid("-1".into()))
    );
    assert_eq!(err("111\n"), at(1, AidTableErrorKind::MissingClass));
    assert_eq!(
        err("111 bsm map\n"),
        at(1, AidTableErrorKind::ExtraField("map".into()))
    );
    assert_eq!(err("# nothing\n\n"), at(0, AidTableErrorKind::Empty));
    assert_eq!(
        err("111 BSM\n"),
        at(1, AidTableErrorKind::UnknownClass("BSM".into()))
    );
    // The message names the line and the problem.
    assert_eq!(
        err("111 bsm\n3618 mapp\n").to_string(),
        "line 2: unknown message class `mapp` (one of bsm map spat rsi rsm ssm vir rsc pam psm clpmm rtcm vpm test)"
    );
}

#[test]
fn the_vendor_form_is_checked_where_it_names_aids() {
    let ini = |s: &str| AidTable::parse_protocol_stack_ini(s).unwrap_err();
    assert_eq!(
        ini("[BSMAIDGroup]\nMsgAID = 111\n[FOOAIDGroup]\nMsgAID = 7\n"),
        AidTableError {
            line: 3,
            kind: AidTableErrorKind::UnknownGroup("FOOAIDGroup".into())
        }
    );
    assert_eq!(
        ini("[BSMAIDGroup]\nMsgName = x\n[MapAIDGroup]\nMsgAID = 3618\n"),
        AidTableError {
            line: 1,
            kind: AidTableErrorKind::MissingAidList("BSMAIDGroup".into())
        }
    );
    assert_eq!(
        ini("[BSMAIDGroup]\nMsgAID = 111, 112\n[SSMAIDGroup]\nMsgAID = 112\n"),
        AidTableError {
            line: 4,
            kind: AidTableErrorKind::DuplicateAid {
                aid: 112,
                first_line: 2
            }
        }
    );
    assert_eq!(
        ini("[BSMAIDGroup]\nMsgAID = 111, x\n"),
        AidTableError {
            line: 2,
            kind: AidTableErrorKind::BadAid("x".into())
        }
    );
    assert_eq!(
        ini("[BSMAIDGroup]\nMsgAID 111\n"),
        AidTableError {
            line: 2,
            kind: AidTableErrorKind::NotKeyValue
        }
    );
    // Other sections and keys are the vendor's own business.
    let t = AidTable::parse_protocol_stack_ini(
        "[ThirdPartyLibConfig]\nanything goes\n[MessageAIDGroup]\nGroupName = BSMAIDGroup\n\
         [VIRAIDGroup]\n; comment\nMsgID = 1\nMsgAID = 24\n",
    )
    .unwrap();
    assert_eq!(t.entries(), &[(Aid(24), MessageClass::Vir)]);
}

#[cfg(feature = "cli")]
#[test]
fn listen_refuses_a_bad_table_naming_the_line() {
    let path = format!("{}/bad_aids.txt", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, "111 bsm\n\n112 bsmx\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cv2x"))
        .args(["listen", "--port", "0", "--timeout", "1", "--aids", &path])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3: unknown message class `bsmx`"),
        "{err}"
    );
}
