//! `cv2x`: the command-line tool. Each subcommand family lives in its own module; every module
//! exposes `run(cmd, args) -> Result<ExitCode, String>`.
#[macro_use]
mod out;
mod codec;
mod ctl;
mod detail;
mod drive;

use std::process::ExitCode;

mod net;
mod pki;
mod run;
mod scenario;
mod security;
mod text;

const USAGE: &str = "usage: cv2x <command> [args]\n\
commands:\n\
  decode [--std S] [--type T] HEX      UPER hex -> JER (S: csae53-2020, csae53-2019, csae53-2017)\n\
  encode [--std S] [--type T] JSON|-   JER -> UPER hex\n\
  conform [--std S] PATH...            check conformance vectors (*.jsonl)\n\
  listen [--group ADDR] --port P [--trust C]... ...  print received DSMP messages as JSON lines\n\
  send --port P [--group ADDR] [--rate HZ] [--sign-cert C --sign-key K] ... FILE.jsonl\n\
                                       send vector or JER lines wrapped in DSMP (signed with a key)\n\
  replay --port P [--group ADDR] [--speed X|--fast] FILE.pcap     replay a capture's UDP payloads\n\
  scenario [--sign p256|sm2|none] [--verify always|on-demand] [--message-set S] [--svg DIR] FILE.json...\n\
                                       run scenarios through the stack (signed, default sm2; sent in set S,\n\
                                       default each file's), check expectations\n\
  cert inspect HEX|FILE                 certificate (COER) -> JSON\n\
  cert verify [--at T] [--trust C]... [--cert C]... HEX|FILE        verify a certificate chain\n\
  spdu verify [--at T] [--trust C]... [--cert C]... HEX|FILE        verify a signed message\n\
  ctl inspect FILE                      signed CA certificate list (TDCL) -> JSON\n\
  ctl verify --trust ROOT [--at T] FILE verify a trust list and load the CA certificates it carries\n\
  pki init [--alg sm2|p256] [--seed S] [--pseudonyms N] DIR   write a lab PKI: root, CA, signer (and a pseudonym pool)\n\
  drive [--pki DIR] [--change-every S] [--svg FILE] DRIVE.jsonl   the host vehicle on a drive log: one JSON line per message sent\n\
  run --ego DRIVE.jsonl [--trust C]... [--svg FILE] INPUT...   a recorded drive and its received messages (pcap or JSON lines) through the stack\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result: Result<ExitCode, String> = match cmd.as_str() {
        "-h" | "--help" | "help" => {
            out!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "decode" | "encode" | "conform" => codec::run(cmd, rest),
        "listen" | "send" | "replay" => net::run(cmd, rest),
        "scenario" => scenario::run_cmd(rest),
        "cert" | "spdu" => security::run(cmd, rest),
        "ctl" => ctl::run(rest),
        "pki" => pki::run(rest),
        "drive" => drive::run(rest),
        "run" => run::run(rest),
        _ => Err(format!("unknown command `{cmd}`\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("cv2x: {msg}");
            ExitCode::from(2)
        }
    }
}
