//! `dissect`: shows, field by field and byte by byte, what a stream of MQTT packets holds.
//!
//! ```text
//! cargo run --example dissect -- testdata/demo.hex             # a hex file ('#' comments)
//! cargo run --example dissect -- 300d000568656c6c6f776f726c64  # hex on the command line
//! cargo run --example dissect -- --level 5 testdata/demo_server.hex
//! cat capture.bin | cargo run --example dissect                # raw bytes (or hex) on stdin
//! cargo run --example dissect -- --json testdata/demo.hex      # one JSON object per packet
//! echo "5 c000" | cargo run --example dissect -- --lines       # one packet per line, JSON out
//! ```
//!
//! Every field is printed with its absolute byte offset in the stream. The offsets are worked
//! out here from the packet layouts (MQTT 3.1.1 §3, MQTT 5.0 §3) while walking the decoded
//! values; the decoder itself only reports offsets for errors. Only the public API is used:
//! `frame` for the fixed header, `decode_with` for the packet, `Packet::encode` for the
//! re-encoded bytes. Errors are the decoder's own, diagnoses included (TLS or HTTP bytes on
//! an MQTT port, a protocol version mix-up, a misspelled protocol name).

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use mqtt_wire::{
    DecodeError, DecodeOptions, Frame, Packet, PacketId, PacketType, Properties, Property,
    PropertyId, ReasonCode, Status, Utf8Policy, Version, WireType, decode_with, frame,
};

const USAGE: &str = "\
usage: dissect [options] [<hex>... | <file> | -]

Shows each MQTT packet in the input as a tree of fields with their byte offsets.

input (one of):
  <hex>...        hex digits on the command line (spaces and ':' allowed)
  <file>          a file holding hex text ('#' starts a comment) or raw bytes
  -               standard input, hex text or raw bytes (also used when no
                  argument is given and stdin is not a terminal)

options:
  --level 3|4|5   protocol level (3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0) for input that does
                  not begin with a CONNECT; a CONNECT's own level always wins (default 4)
  --json          one JSON object per packet per line instead of the tree; 'offset' is
                  where the packet starts in the stream; an error also gives
                  'error_offset_in_packet' (the byte N of the message's '(at byte N)',
                  counted from the packet's first byte) and 'stream_offset' (the same byte,
                  counted from the start of the stream)
  --lines         read lines '<level> <hex>' (an optional leading C/S and '#' comments
                  are ignored), each holding one packet; answer one JSON line per line
  --hex           the input is hex text (default: detected)
  --binary        the input is raw bytes (default: detected)
  --strict        reject control characters and non-characters in strings
  --max-packet-size N
                  refuse packets larger than N bytes, as a receiver with that limit would
  -h, --help      this text

exit status: 0 all packets decoded, 1 malformed or incomplete input, 2 bad usage or input";

/// Bytes shown in hex (and as text) for a payload or binary field in the tree.
const SHOWN_BYTES: usize = 32;
/// Characters shown of a payload's text preview in the tree.
const SHOWN_CHARS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Hex,
    Binary,
}

#[derive(Debug, Default)]
struct Options {
    level: Option<Version>,
    json: bool,
    lines: bool,
    format: Option<Format>,
    strict: bool,
    max_packet_size: Option<u32>,
    help: bool,
    inputs: Vec<String>,
}

impl Options {
    fn decode_options(&self) -> DecodeOptions {
        let mut o = DecodeOptions::new();
        if self.strict {
            o = o.utf8_policy(Utf8Policy::Strict);
        }
        if let Some(max) = self.max_packet_size {
            o = o.max_packet_size(max);
        }
        o
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs {what}"))
        };
        match name.as_str() {
            "--level" => {
                let v = value("3, 4 or 5")?;
                o.level = Some(
                    v.parse()
                        .ok()
                        .and_then(Version::from_level)
                        .ok_or(format!("--level {v}: expected 3, 4 or 5"))?,
                );
            }
            "--max-packet-size" => {
                let v = value("a number")?;
                o.max_packet_size = Some(
                    v.parse()
                        .map_err(|_| format!("--max-packet-size {v}: not a number"))?,
                );
            }
            "--json" => o.json = true,
            "--lines" => o.lines = true,
            "--hex" => o.format = Some(Format::Hex),
            "--binary" => o.format = Some(Format::Binary),
            "--strict" => o.strict = true,
            "-h" | "--help" => o.help = true,
            "-" => o.inputs.push(arg),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ => o.inputs.push(arg),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => return usage_error(&msg),
    };
    if opts.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if opts.lines {
        return run_lines(&opts);
    }
    let (data, source) = match read_input(&opts) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("dissect: {msg}");
            return ExitCode::from(2);
        }
    };
    let (text, ok) = dissect_stream(&data, &source, &opts);
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("dissect: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

// ---- input ----------------------------------------------------------------------------

/// Reads the bytes to dissect and describes where they came from.
fn read_input(opts: &Options) -> Result<(Vec<u8>, String), String> {
    let (raw, name, from_args) = match opts.inputs.as_slice() {
        [] if std::io::stdin().is_terminal() => return Err("no input given".into()),
        [] => (read_stdin()?, "stdin".to_string(), false),
        [one] if one == "-" => (read_stdin()?, "stdin".to_string(), false),
        [one] if std::path::Path::new(one).is_file() => {
            let raw = std::fs::read(one).map_err(|e| format!("{one}: {e}"))?;
            (raw, one.clone(), false)
        }
        many => (
            many.join(" ").into_bytes(),
            "command line".to_string(),
            true,
        ),
    };
    let format = match opts.format {
        Some(f) if !from_args => f,
        _ if from_args => Format::Hex,
        _ if looks_like_hex(&raw) => Format::Hex,
        _ => Format::Binary,
    };
    let data = match format {
        Format::Hex => {
            let text = String::from_utf8(raw).map_err(|_| format!("{name}: not hex text"))?;
            parse_hex(&text).map_err(|e| {
                if from_args {
                    format!("{e} (argument is neither a file nor hex)")
                } else {
                    format!("{name}: {e}")
                }
            })?
        }
        Format::Binary => raw,
    };
    let kind = match format {
        Format::Hex => "hex text",
        Format::Binary => "raw bytes",
    };
    let plural = if data.len() == 1 { "" } else { "s" };
    let source = format!("{name}, {} byte{plural} ({kind})", data.len());
    Ok((data, source))
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut raw)
        .map_err(|e| format!("stdin: {e}"))?;
    Ok(raw)
}

/// Hex text: only hex digits, whitespace, ':' separators and '#' comments to end of line.
fn looks_like_hex(raw: &[u8]) -> bool {
    let mut in_comment = false;
    raw.iter().all(|&b| {
        if in_comment {
            in_comment = b != b'\n';
            true
        } else if b == b'#' {
            in_comment = true;
            true
        } else {
            b.is_ascii_hexdigit() || b.is_ascii_whitespace() || b == b':'
        }
    })
}

/// Parses hex digits, ignoring whitespace, ':' separators, an `0x` prefix per group and
/// `#` comments (to the end of the line).
fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut digits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for group in line.split(|c: char| c.is_whitespace() || c == ':') {
            let group = group
                .strip_prefix("0x")
                .or_else(|| group.strip_prefix("0X"))
                .unwrap_or(group);
            for c in group.chars() {
                let d = c
                    .to_digit(16)
                    .ok_or(format!("line {}: {c:?} is not a hex digit", n + 1))?;
                digits.push(d as u8);
            }
        }
    }
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    Ok(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

// ---- stream mode ----------------------------------------------------------------------

/// Dissects a whole stream; returns the output and whether every byte decoded.
fn dissect_stream(data: &[u8], source: &str, opts: &Options) -> (String, bool) {
    let dopts = opts.decode_options();
    let mut out = String::new();
    let (mut version, how) = initial_version(data, opts.level, &dopts);
    // The level is a guess until a CONNECT says otherwise.
    let mut guessed = how.starts_with("default");
    if opts.json {
        if guessed {
            eprintln!("dissect: no CONNECT at the start, assuming MQTT {version}; see --level");
        }
    } else {
        let _ = writeln!(out, "input: {source}");
        let _ = writeln!(
            out,
            "protocol: MQTT {version} (level {}, {how})",
            version.level()
        );
    }
    let mut pos = 0;
    let mut count = 0;
    let mut ok = true;
    while let Some(rest) = data.get(pos..).filter(|r| !r.is_empty()) {
        match decode_with(rest, version, &dopts) {
            Ok(Status::Complete((packet, len))) => {
                count += 1;
                let pv = match &packet {
                    Packet::Connect(c) => c.version,
                    _ => version,
                };
                let d = dissect_packet(data, pos, len, &packet, pv, &dopts);
                if opts.json {
                    let _ = writeln!(out, "{}", d.to_json(Some(pos)));
                } else {
                    out.push('\n');
                    out.push_str(&d.to_tree(count));
                }
                // The CONNECT sets the version of what follows it.
                version = pv;
                guessed &= !matches!(packet, Packet::Connect(_));
                pos += len;
            }
            Ok(Status::Partial(needed)) => {
                ok = false;
                if opts.json {
                    let _ = writeln!(out, r#"{{"ok":false,"partial":{needed},"offset":{pos}}}"#);
                } else {
                    out.push('\n');
                    out.push_str(&partial_tree(rest, pos, needed));
                }
                break;
            }
            Err(e) => {
                ok = false;
                let unparsed = rest.len();
                if opts.json {
                    let _ = writeln!(out, "{}", error_json(&e, Some(pos), version));
                } else {
                    out.push('\n');
                    out.push_str(&error_tree(rest, pos, &e, version));
                    if guessed {
                        out.push_str(&level_hint(rest, version, &dopts));
                    }
                    let _ = writeln!(
                        out,
                        "stopped: after a malformed packet its end is unknown, so the remaining \
                         {unparsed} bytes (from offset {pos}) cannot be resynchronised"
                    );
                }
                break;
            }
        }
    }
    if !opts.json && ok {
        let _ = writeln!(
            out,
            "\n{count} packet{}, {} bytes: all decoded",
            if count == 1 { "" } else { "s" },
            data.len()
        );
    }
    (out, ok)
}

/// The version to start with, and how it was chosen.
fn initial_version(
    data: &[u8],
    level: Option<Version>,
    dopts: &DecodeOptions,
) -> (Version, String) {
    let fallback = level.unwrap_or(Version::V3_1_1);
    let connect_first = data.first().is_some_and(|b| b >> 4 == 1);
    if connect_first {
        // A CONNECT carries its own protocol level; the version passed in does not matter.
        if let Ok(Status::Complete((Packet::Connect(c), _))) = decode_with(data, fallback, dopts) {
            let mut how = "from the CONNECT at offset 0".to_string();
            if level.is_some_and(|l| l != c.version) {
                how.push_str(&format!(", --level {} ignored", fallback.level()));
            }
            return (c.version, how);
        }
    }
    let how = match level {
        Some(_) => "from --level".to_string(),
        None if connect_first => {
            "default: the first packet does not decode as a CONNECT; use --level 3|4|5 to \
             choose"
                .to_string()
        }
        None => "default: the bytes do not begin with a CONNECT; use --level 3|4|5 to choose"
            .to_string(),
    };
    (fallback, how)
}

// ---- lines mode -----------------------------------------------------------------------

fn run_lines(opts: &Options) -> ExitCode {
    let dopts = opts.decode_options();
    let input: Box<dyn BufRead> = match opts.inputs.as_slice() {
        [] => Box::new(std::io::stdin().lock()),
        [one] if one == "-" => Box::new(std::io::stdin().lock()),
        [one] => match std::fs::File::open(one) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => return usage_error(&format!("{one}: {e}")),
        },
        _ => return usage_error("--lines takes at most one file"),
    };
    let mut stdout = std::io::stdout().lock();
    for line in input.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("dissect: reading input: {e}");
                return ExitCode::from(2);
            }
        };
        let Some(answer) = answer_line(&line, &dopts) else {
            continue;
        };
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
    ExitCode::SUCCESS
}

/// The JSON answer for one `--lines` input line; `None` for blank and comment lines.
fn answer_line(line: &str, dopts: &DecodeOptions) -> Option<String> {
    let line = line.split('#').next().unwrap_or("").trim();
    let mut tokens = line.split_whitespace().peekable();
    // An optional direction (the testdata capture format: `C 5 <hex>`).
    tokens.next_if(|t| *t == "C" || *t == "S");
    let level = tokens.next()?;
    let bad = |msg: String| {
        Some(format!(
            r#"{{"ok":false,"error":"BadInput","message":{}}}"#,
            json_str(&msg)
        ))
    };
    let Some(version) = level.parse().ok().and_then(Version::from_level) else {
        return bad(format!("protocol level {level:?} is not 3, 4 or 5"));
    };
    let hex: Vec<&str> = tokens.collect();
    let bytes = match parse_hex(&hex.join(" ")) {
        Ok(b) => b,
        Err(e) => return bad(e),
    };
    Some(match decode_with(&bytes, version, dopts) {
        Ok(Status::Complete((packet, len))) => {
            let pv = match &packet {
                Packet::Connect(c) => c.version,
                _ => version,
            };
            let mut json = dissect_packet(&bytes, 0, len, &packet, pv, dopts).to_json(None);
            if len < bytes.len() {
                json.pop();
                let _ = write!(json, r#","trailing_bytes":{}}}"#, bytes.len() - len);
            }
            json
        }
        Ok(Status::Partial(needed)) => format!(r#"{{"ok":false,"partial":{needed}}}"#),
        Err(e) => error_json(&e, None, version),
    })
}

// ---- errors, partial input, other protocols -------------------------------------------

/// The error kind's name without its payload: `PropertyNotAllowed(TopicAlias)` gives
/// `PropertyNotAllowed`.
fn kind_name(e: &DecodeError) -> String {
    let debug = format!("{:?}", e.kind());
    debug.split('(').next().unwrap_or(&debug).to_string()
}

/// The JSON answer for a malformed packet. In stream mode (`packet_at`: where the packet
/// starts in the stream) "offset" is that start, as in the other answers, and
/// "stream_offset" the error's byte in the stream; "error_offset_in_packet" is always the
/// decoder's offset, the N of the message's "(at byte N)".
fn error_json(e: &DecodeError, packet_at: Option<usize>, version: Version) -> String {
    let mut s = format!(r#"{{"ok":false,"error":{}"#, json_str(&kind_name(e)));
    if let Some(pos) = packet_at {
        let _ = write!(s, r#","offset":{pos},"stream_offset":{}"#, pos + e.offset());
    }
    let _ = write!(
        s,
        r#","error_offset_in_packet":{},"message":{}"#,
        e.offset(),
        json_str(&e.to_string())
    );
    if version.is_v5() {
        let rc = e.reason_code();
        let _ = write!(
            s,
            r#","reason_code":{},"reason":{}"#,
            rc as u8,
            json_str(rc.name())
        );
    }
    s.push('}');
    s
}

/// When the level was only guessed: the other levels under which the packet decodes.
fn level_hint(rest: &[u8], version: Version, dopts: &DecodeOptions) -> String {
    let fits: Vec<String> = Version::ALL
        .into_iter()
        .filter(|&v| v != version)
        .filter(|&v| matches!(decode_with(rest, v, dopts), Ok(Status::Complete(_))))
        .map(|v| format!("--level {} (MQTT {v})", v.level()))
        .collect();
    if fits.is_empty() {
        return String::new();
    }
    format!(
        "hint: the level {} was a guess; this packet decodes with {}\n",
        version.level(),
        fits.join(" or ")
    )
}

/// "type 3 PUBLISH, flags 0110" for a first byte.
fn describe_first_byte(b: u8) -> String {
    let name = PacketType::from_header_byte(b, Version::V5).map_or(
        if b >> 4 == 0 { "reserved" } else { "AUTH" },
        PacketType::name,
    );
    format!("0x{b:02x}: type {} {name}, flags {:04b}", b >> 4, b & 0x0f)
}

fn error_tree(rest: &[u8], pos: usize, e: &DecodeError, version: Version) -> String {
    let mut s = String::new();
    let first = rest.first().copied().unwrap_or(0);
    let _ = writeln!(
        s,
        "MALFORMED packet at offset {pos} (first byte {})",
        describe_first_byte(first)
    );
    let _ = writeln!(s, "  error:   {}", kind_name(e));
    let _ = writeln!(
        s,
        "  offset:  {} (byte {} of this packet)",
        pos + e.offset(),
        e.offset()
    );
    let _ = writeln!(s, "  message: {e}");
    if version.is_v5() {
        let rc = e.reason_code();
        let carrier = if first >> 4 == 1 {
            "CONNACK"
        } else {
            "DISCONNECT"
        };
        let _ = writeln!(
            s,
            "  answer:  reason code 0x{:02x} {} (a 5.0 receiver sends it in a {carrier}, \
             then closes the connection)",
            rc as u8,
            rc.name()
        );
    } else {
        let _ = writeln!(
            s,
            "  answer:  MQTT {version} has no reason codes: the receiver closes the connection"
        );
    }
    s
}

fn partial_tree(rest: &[u8], pos: usize, needed: usize) -> String {
    let first = rest.first().copied().unwrap_or(0);
    match rest.get(1..).and_then(read_varint) {
        Some((remaining, vlen)) => {
            let total = 1 + vlen + remaining as usize;
            format!(
                "INCOMPLETE packet at offset {pos} (first byte {}): its fixed header announces \
                 {total} bytes ({} + remaining length {remaining}), only {} are here: \
                 {needed} more byte{} needed\n",
                describe_first_byte(first),
                1 + vlen,
                rest.len(),
                if needed == 1 { "" } else { "s" }
            )
        }
        None => format!(
            "INCOMPLETE packet at offset {pos}: the stream ends inside its fixed header \
             (first byte {}): at least {needed} more byte{} needed\n",
            describe_first_byte(first),
            if needed == 1 { "" } else { "s" }
        ),
    }
}

// ---- one packet -------------------------------------------------------------------------

/// One line of the tree: absolute offset (none for implied values), depth, label, value.
struct Line {
    at: Option<usize>,
    depth: usize,
    label: String,
    value: String,
}

/// The dissection of one packet: tree lines and JSON fields, built side by side while a
/// cursor walks the packet's bytes with the lengths the layout gives each field.
struct Dissection<'d> {
    data: &'d [u8],
    ty: PacketType,
    version: Version,
    end: usize,
    pos: usize,
    depth: usize,
    title: String,
    lines: Vec<Line>,
    json: Vec<(String, String)>,
}

fn dissect_packet<'d>(
    data: &'d [u8],
    start: usize,
    len: usize,
    packet: &Packet<'_>,
    version: Version,
    dopts: &DecodeOptions,
) -> Dissection<'d> {
    let ty = packet.packet_type();
    let mut d = Dissection {
        data,
        ty,
        version,
        end: start + len,
        pos: start,
        depth: 0,
        title: format!("{ty}  at {start}, {len} bytes"),
        lines: Vec::new(),
        json: Vec::new(),
    };
    d.json("type", json_str(ty.name()));
    d.json("version", version.level().to_string());
    d.json("len", len.to_string());
    d.json(
        "reencoded",
        reencode(packet, version, &data[start..start + len]),
    );

    let header_len = match data.get(start..).map(|b| frame(b, version, dopts)) {
        Some(Ok(Status::Complete(Frame { header_len, .. }))) => header_len,
        _ => 2, // cannot happen: the packet decoded
    };
    let first = d.byte(start);
    let at = d.take(1);
    let flags = first & 0x0f;
    let flags_text = match packet {
        Packet::Publish(p) => format!(
            "DUP {}, QoS {}, RETAIN {}",
            u8::from(p.dup),
            u8::from(p.qos),
            u8::from(p.retain)
        ),
        _ => format!("flags {flags:04b}"),
    };
    d.line(
        at,
        "fixed header",
        format!("0x{first:02x}  {ty}, {flags_text}"),
    );
    d.json("flags", flags.to_string());
    let at = d.take(header_len - 1);
    d.line(
        at,
        "remaining length",
        format!(
            "{} ({} byte{})",
            len - header_len,
            header_len - 1,
            if header_len == 2 { "" } else { "s" }
        ),
    );

    // Each arm lists the fields in wire order; `properties` and `tail` are empty before 5.0.
    match packet {
        Packet::Connect(c) => d.connect(c),
        Packet::ConnAck(c) => d.connack(c),
        Packet::Publish(p) => d.publish(p),
        Packet::PubAck(a) | Packet::PubRec(a) | Packet::PubRel(a) | Packet::PubComp(a) => {
            d.packet_id(a.packet_id);
            d.tail(a.reason_code, &a.properties);
        }
        Packet::Subscribe(s) => {
            d.packet_id(s.packet_id);
            d.properties("properties", &s.properties);
            d.subscriptions(s);
        }
        Packet::SubAck(s) => {
            d.packet_id(s.packet_id);
            d.properties("properties", &s.properties);
            d.code_list(s.reason_codes.iter(), true);
        }
        Packet::Unsubscribe(u) => {
            d.packet_id(u.packet_id);
            d.properties("properties", &u.properties);
            let mut items = Vec::new();
            for filter in u.filters.iter() {
                let at = d.take(2 + filter.len());
                d.line(at, "topic filter", json_str(filter));
                items.push(json_str(filter));
            }
            d.json("filters", format!("[{}]", items.join(",")));
        }
        Packet::UnsubAck(u) => {
            d.packet_id(u.packet_id);
            d.properties("properties", &u.properties);
            d.code_list(u.reason_codes.iter(), false);
        }
        Packet::PingReq | Packet::PingResp => {}
        Packet::Disconnect(x) => d.tail(x.reason_code, &x.properties),
        Packet::Auth(x) => d.tail(x.reason_code, &x.properties),
    }
    if d.pos != d.end {
        eprintln!(
            "dissect: internal: the fields of the {ty} at offset {start} add up to {} bytes, \
             not {len}",
            d.pos - start
        );
    }
    d
}

/// What `Packet::encode` writes back for the decoded packet (hex, as a JSON string), and a
/// warning on stderr if that differs from the input.
fn reencode(packet: &Packet<'_>, version: Version, original: &[u8]) -> String {
    let mut buf = vec![0; packet.encoded_len(version).unwrap_or(0)];
    match packet.encode(version, &mut buf) {
        Ok(n) => {
            buf.truncate(n);
            if buf != original {
                eprintln!(
                    "dissect: re-encoding gives different bytes: {} instead of {}",
                    hex(&buf),
                    hex(original)
                );
            }
            json_str(&hex(&buf))
        }
        Err(e) => {
            eprintln!("dissect: re-encoding failed: {e}");
            "null".to_string()
        }
    }
}

impl Dissection<'_> {
    /// Advances the cursor over `n` bytes; returns where they start.
    fn take(&mut self, n: usize) -> usize {
        let at = self.pos;
        self.pos += n;
        at
    }

    fn byte(&self, at: usize) -> u8 {
        self.data.get(at).copied().unwrap_or(0)
    }

    fn line(&mut self, at: impl Into<Option<usize>>, label: &str, value: impl Into<String>) {
        self.lines.push(Line {
            at: at.into(),
            depth: self.depth,
            label: label.to_string(),
            value: value.into(),
        });
    }

    fn json(&mut self, key: &str, value: String) {
        self.json.push((key.to_string(), value));
    }

    /// A UTF-8 Encoded String: 2-byte length, then the bytes.
    fn string(&mut self, label: &str, key: &str, s: &str) {
        let at = self.take(2 + s.len());
        self.line(at, label, json_str(s));
        self.json(key, json_str(s));
    }

    /// Binary Data: 2-byte length, then the bytes.
    fn binary(&mut self, label: &str, key: &str, b: &[u8]) {
        let at = self.take(2 + b.len());
        self.line(at, label, bytes_text(b));
        self.json(key, json_str(&hex(b)));
    }

    fn packet_id(&mut self, id: PacketId) {
        let at = self.take(2);
        self.line(at, "packet id", id.get().to_string());
        self.json("packet_id", id.get().to_string());
    }

    /// A 5.0 reason code byte.
    fn reason_code(&mut self, rc: ReasonCode) {
        let at = self.take(1);
        let name = self.code_name(rc);
        self.line(at, "reason code", code_text(rc as u8, name));
        self.json("reason_code", (rc as u8).to_string());
        self.json("reason", json_str(name));
    }

    /// The name of a code as this packet type calls it (MQTT 5.0 §2.4, Table 2-6;
    /// 3.1.1 §3.2.2.3 and §3.9.3 for the return codes).
    fn code_name(&self, rc: ReasonCode) -> &'static str {
        let v5 = self.version.is_v5();
        match (self.ty, rc) {
            (PacketType::SubAck, ReasonCode::Success) => "Granted QoS 0",
            (PacketType::SubAck, ReasonCode::UnspecifiedError) if !v5 => "Failure",
            (PacketType::Disconnect, ReasonCode::Success) => "Normal disconnection",
            (PacketType::ConnAck, _) if !v5 => match rc.to_v3_connack() {
                Some(0) => "Connection Accepted",
                Some(1) => "Connection Refused, unacceptable protocol version",
                Some(2) => "Connection Refused, identifier rejected",
                Some(3) => "Connection Refused, Server unavailable",
                Some(4) => "Connection Refused, bad user name or password",
                _ => "Connection Refused, not authorized",
            },
            _ => rc.name(),
        }
    }

    /// The optional 5.0 tail of PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT and AUTH:
    /// a reason code if any byte is left, then properties if any byte is left.
    fn tail(&mut self, rc: ReasonCode, props: &Properties<'_>) {
        if !self.version.is_v5() {
            return;
        }
        if self.pos < self.end {
            self.reason_code(rc);
        } else {
            let name = self.code_name(rc);
            self.line(
                None,
                "reason code",
                format!("absent: {}", code_text(0, name)),
            );
            self.json("reason_code", (rc as u8).to_string());
            self.json("reason", json_str(name));
        }
        if self.pos < self.end {
            self.properties("properties", props);
        } else {
            self.line(None, "properties", "absent: none");
            self.json("properties", "[]".to_string());
        }
    }

    /// SUBACK and UNSUBACK reason codes (3.x SUBACK: return codes), one byte each.
    /// 3.x UNSUBACK has none.
    fn code_list(&mut self, codes: impl Iterator<Item = ReasonCode>, sub: bool) {
        let v = self.version;
        if !v.is_v5() && !sub {
            return;
        }
        let mut items = Vec::new();
        for rc in codes {
            let at = self.take(1);
            let byte = self.byte(at);
            let label = if v.is_v5() {
                "reason code"
            } else {
                "return code"
            };
            let name = self.code_name(rc);
            self.line(at, label, code_text(byte, name));
            items.push(byte.to_string());
        }
        self.json("reason_codes", format!("[{}]", items.join(",")));
    }

    fn connack(&mut self, c: &mqtt_wire::ConnAck<'_>) {
        let at = self.take(1);
        let text = format!(
            "0x{:02x}  session present {}",
            self.byte(at),
            u8::from(c.session_present)
        );
        self.line(at, "acknowledge flags", text);
        self.json("session_present", c.session_present.to_string());
        if self.version.is_v5() {
            self.reason_code(c.reason_code);
            self.properties("properties", &c.properties);
        } else {
            let at = self.take(1);
            let code = self.byte(at);
            let name = self.code_name(c.reason_code);
            self.line(at, "return code", format!("{code} ({name})"));
            self.json("return_code", code.to_string());
            self.json("reason", json_str(name));
        }
    }

    fn publish(&mut self, p: &mqtt_wire::Publish<'_>) {
        self.json("dup", p.dup.to_string());
        self.json("qos", u8::from(p.qos).to_string());
        self.json("retain", p.retain.to_string());
        self.string("topic name", "topic", p.topic);
        if let Some(id) = p.packet_id {
            self.packet_id(id);
        }
        self.properties("properties", &p.properties);
        // The payload is the rest of the packet, without a length prefix.
        let at = self.take(p.payload.len());
        self.line(at, "payload", bytes_text(p.payload));
        self.json("payload_len", p.payload.len().to_string());
        self.json("payload_hex", json_str(&hex(p.payload)));
    }

    /// SUBSCRIBE payload: per subscription a topic filter and an options byte.
    fn subscriptions(&mut self, s: &mqtt_wire::Subscribe<'_>) {
        let mut items = Vec::new();
        for sub in s.subscriptions.iter() {
            let at = self.take(2 + sub.filter.len());
            self.line(at, "topic filter", json_str(sub.filter));
            let o = sub.options;
            let at = self.take(1);
            let mut text = format!("0x{:02x}  QoS {}", self.byte(at), u8::from(o.qos));
            let mut item = format!(
                r#"{{"filter":{},"qos":{}"#,
                json_str(sub.filter),
                u8::from(o.qos)
            );
            if self.version.is_v5() {
                let rh = o.retain_handling as u8;
                let _ = write!(
                    text,
                    ", no local {}, retain as published {}, retain handling {rh}",
                    u8::from(o.no_local),
                    u8::from(o.retain_as_published)
                );
                let _ = write!(
                    item,
                    r#","no_local":{},"retain_as_published":{},"retain_handling":{rh}"#,
                    o.no_local, o.retain_as_published
                );
            }
            item.push('}');
            items.push(item);
            self.depth += 1;
            self.line(at, "options", text);
            self.depth -= 1;
        }
        self.json("subscriptions", format!("[{}]", items.join(",")));
    }

    fn connect(&mut self, c: &mqtt_wire::Connect<'_>) {
        let v = c.version;
        self.string("protocol name", "protocol_name", v.protocol_name());
        let at = self.take(1);
        if c.bridge {
            let level = v.level() | 0x80;
            self.line(
                at,
                "protocol level",
                format!("0x{level:02X} (MQTT {v}, bridge)"),
            );
            self.json("protocol_level", level.to_string());
            self.json("bridge", "true".to_string());
        } else {
            self.line(at, "protocol level", format!("{} (MQTT {v})", v.level()));
            self.json("protocol_level", v.level().to_string());
        }
        let at = self.take(1);
        let mut set = Vec::new();
        if c.clean_start {
            set.push(if v.is_v5() {
                "clean start".to_string()
            } else {
                "clean session".to_string()
            });
        }
        if let Some(w) = &c.will {
            set.push(format!(
                "will (QoS {}{})",
                u8::from(w.qos),
                if w.retain { ", retain" } else { "" }
            ));
        }
        if c.username.is_some() {
            set.push("user name".into());
        }
        if c.password.is_some() {
            set.push("password".into());
        }
        let text = format!("0x{:02x}  {}", self.byte(at), set.join(", "));
        self.line(at, "connect flags", text.trim_end());
        self.json("clean_start", c.clean_start.to_string());
        let at = self.take(2);
        self.line(at, "keep alive", format!("{} s", c.keep_alive));
        self.json("keep_alive", c.keep_alive.to_string());
        self.properties("properties", &c.properties);
        self.string("client id", "client_id", c.client_id);
        if let Some(w) = &c.will {
            let outer = std::mem::take(&mut self.json);
            self.json("qos", u8::from(w.qos).to_string());
            self.json("retain", w.retain.to_string());
            self.properties("will properties", &w.properties);
            self.string("will topic", "topic", w.topic);
            self.binary("will payload", "payload_hex", w.payload);
            let will = std::mem::replace(&mut self.json, outer);
            self.json("will", json_object(&will));
        }
        if let Some(u) = c.username {
            self.string("user name", "username", u);
        }
        if let Some(p) = c.password {
            self.binary("password", "password_hex", p);
        }
    }

    /// A 5.0 property block: its length (a Variable Byte Integer), then the properties.
    fn properties(&mut self, label: &str, props: &Properties<'_>) {
        if !self.version.is_v5() {
            return;
        }
        let (block_len, vlen) = self
            .data
            .get(self.pos..self.end)
            .and_then(read_varint)
            .unwrap_or((0, 1));
        let at = self.take(vlen);
        let count = props.len();
        self.line(
            at,
            label,
            if count == 0 {
                "none (length 0)".to_string()
            } else {
                format!(
                    "{count} in {block_len} bytes (length field {vlen} byte{})",
                    if vlen == 1 { "" } else { "s" }
                )
            },
        );
        let mut items = Vec::new();
        self.depth += 1;
        for p in props.iter() {
            let id = p.id();
            let name = property_name(id);
            let Some(value) = PropValue::of(&p) else {
                eprintln!("dissect: internal: no layout for property {p:?}");
                continue;
            };
            // The identifier is a Variable Byte Integer; every defined one fits in 1 byte.
            let at = self.take(1 + value.wire_size(id));
            self.line(at, &format!("0x{:02x} {name}", id as u8), value.text(id));
            items.push(format!(
                r#"{{"id":{},"name":{},"value":{}}}"#,
                id as u8,
                json_str(name),
                value.json()
            ));
        }
        self.depth -= 1;
        self.json("properties", format!("[{}]", items.join(",")));
    }

    fn to_tree(&self, index: usize) -> String {
        let width = self
            .lines
            .iter()
            .map(|l| 2 * l.depth + l.label.chars().count())
            .max()
            .unwrap_or(0);
        let mut s = format!("#{index} {}\n", self.title);
        for l in &self.lines {
            let at = l.at.map(|a| a.to_string()).unwrap_or_default();
            let label = format!("{}{}", "  ".repeat(l.depth), l.label);
            let _ = writeln!(s, "{at:>7}  {label:<width$}  {}", l.value);
        }
        s
    }

    fn to_json(&self, offset: Option<usize>) -> String {
        let mut fields = vec![("ok".to_string(), "true".to_string())];
        let mut rest = self.json.iter().cloned();
        // "type", "version", then the offset (stream mode), then everything else.
        fields.extend(rest.by_ref().take(2));
        if let Some(o) = offset {
            fields.push(("offset".into(), o.to_string()));
        }
        fields.extend(rest);
        json_object(&fields)
    }
}

/// A property value, as the wire types see it.
enum PropValue<'a> {
    Int(u32),
    Str(&'a str),
    Bin(&'a [u8]),
    Pair(&'a str, &'a str),
}

impl<'a> PropValue<'a> {
    fn of(p: &Property<'a>) -> Option<Self> {
        use Property as P;
        Some(match *p {
            P::PayloadFormatIndicator(b)
            | P::RequestProblemInformation(b)
            | P::RequestResponseInformation(b)
            | P::RetainAvailable(b)
            | P::WildcardSubscriptionAvailable(b)
            | P::SubscriptionIdentifierAvailable(b)
            | P::SharedSubscriptionAvailable(b) => Self::Int(u32::from(b)),
            P::MaximumQoS(q) => Self::Int(u32::from(u8::from(q))),
            P::ServerKeepAlive(n)
            | P::ReceiveMaximum(n)
            | P::TopicAliasMaximum(n)
            | P::TopicAlias(n) => Self::Int(u32::from(n)),
            P::MessageExpiryInterval(n)
            | P::SubscriptionIdentifier(n)
            | P::SessionExpiryInterval(n)
            | P::WillDelayInterval(n)
            | P::MaximumPacketSize(n) => Self::Int(n),
            P::ContentType(s)
            | P::ResponseTopic(s)
            | P::AssignedClientIdentifier(s)
            | P::AuthenticationMethod(s)
            | P::ResponseInformation(s)
            | P::ServerReference(s)
            | P::ReasonString(s) => Self::Str(s),
            P::CorrelationData(b) | P::AuthenticationData(b) => Self::Bin(b),
            P::UserProperty(k, v) => Self::Pair(k, v),
            _ => return None,
        })
    }

    /// Size of the value on the wire (after the identifier).
    fn wire_size(&self, id: PropertyId) -> usize {
        match (self, id.wire_type()) {
            (Self::Int(_), WireType::Byte) => 1,
            (Self::Int(_), WireType::TwoByteInteger) => 2,
            (Self::Int(n), WireType::VarInt) => mqtt_wire::varint_len(*n).unwrap_or(4),
            (Self::Int(_), _) => 4,
            (Self::Str(s), _) => 2 + s.len(),
            (Self::Bin(b), _) => 2 + b.len(),
            (Self::Pair(k, v), _) => 4 + k.len() + v.len(),
        }
    }

    fn text(&self, id: PropertyId) -> String {
        match self {
            Self::Int(n) => {
                let unit = match id {
                    PropertyId::SessionExpiryInterval
                    | PropertyId::MessageExpiryInterval
                    | PropertyId::WillDelayInterval
                    | PropertyId::ServerKeepAlive => " s",
                    PropertyId::MaximumPacketSize => " bytes",
                    PropertyId::PayloadFormatIndicator if *n == 1 => " (UTF-8 text)",
                    PropertyId::PayloadFormatIndicator => " (unspecified bytes)",
                    _ => "",
                };
                format!("{n}{unit}")
            }
            Self::Str(s) => json_str(s),
            Self::Bin(b) => bytes_text(b),
            Self::Pair(k, v) => format!("{} = {}", json_str(k), json_str(v)),
        }
    }

    fn json(&self) -> String {
        match self {
            Self::Int(n) => n.to_string(),
            Self::Str(s) => json_str(s),
            Self::Bin(b) => json_str(&hex(b)),
            Self::Pair(k, v) => format!(r#"{{"key":{},"value":{}}}"#, json_str(k), json_str(v)),
        }
    }
}

/// The specification's name of a property (MQTT 5.0 §2.2.2.2, Table 2-4).
fn property_name(id: PropertyId) -> &'static str {
    use PropertyId as I;
    match id {
        I::PayloadFormatIndicator => "Payload Format Indicator",
        I::MessageExpiryInterval => "Message Expiry Interval",
        I::ContentType => "Content Type",
        I::ResponseTopic => "Response Topic",
        I::CorrelationData => "Correlation Data",
        I::SubscriptionIdentifier => "Subscription Identifier",
        I::SessionExpiryInterval => "Session Expiry Interval",
        I::AssignedClientIdentifier => "Assigned Client Identifier",
        I::ServerKeepAlive => "Server Keep Alive",
        I::AuthenticationMethod => "Authentication Method",
        I::AuthenticationData => "Authentication Data",
        I::RequestProblemInformation => "Request Problem Information",
        I::WillDelayInterval => "Will Delay Interval",
        I::RequestResponseInformation => "Request Response Information",
        I::ResponseInformation => "Response Information",
        I::ServerReference => "Server Reference",
        I::ReasonString => "Reason String",
        I::ReceiveMaximum => "Receive Maximum",
        I::TopicAliasMaximum => "Topic Alias Maximum",
        I::TopicAlias => "Topic Alias",
        I::MaximumQoS => "Maximum QoS",
        I::RetainAvailable => "Retain Available",
        I::UserProperty => "User Property",
        I::MaximumPacketSize => "Maximum Packet Size",
        I::WildcardSubscriptionAvailable => "Wildcard Subscription Available",
        I::SubscriptionIdentifierAvailable => "Subscription Identifier Available",
        I::SharedSubscriptionAvailable => "Shared Subscription Available",
        _ => "(unnamed property)",
    }
}

// ---- small helpers ----------------------------------------------------------------------

/// A Variable Byte Integer at the start of `b`: its value and length, if complete.
fn read_varint(b: &[u8]) -> Option<(u32, usize)> {
    let mut value = 0u32;
    for (i, &byte) in b.iter().take(4).enumerate() {
        value |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .fold(String::with_capacity(2 * b.len()), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

/// "0x87 Not authorized".
fn code_text(code: u8, name: &str) -> String {
    format!("0x{code:02x} {name}")
}

/// Binary data for the tree: length, the first bytes in hex, and a text preview when the
/// bytes are printable UTF-8.
fn bytes_text(b: &[u8]) -> String {
    if b.is_empty() {
        return "0 bytes".into();
    }
    let shown = b.get(..SHOWN_BYTES).unwrap_or(b);
    let more = if shown.len() < b.len() { " ..." } else { "" };
    let mut s = format!("{} bytes  {}{more}", b.len(), hex(shown));
    if let Ok(text) = std::str::from_utf8(b) {
        let printable = text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
        if printable {
            let preview: String = text.chars().take(SHOWN_CHARS).collect();
            let more = if preview.len() < text.len() {
                " ..."
            } else {
                ""
            };
            let _ = write!(s, "  {}{more}", json_str(&preview));
        }
    }
    s
}

/// A JSON string literal; also used to quote strings in the tree. Control characters
/// (C0, DEL, C1) are escaped so that nothing in the input can change the terminal.
fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(o, "\\u{:04x}", u32::from(c));
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn json_object(fields: &[(String, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", json_str(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}
