//! `Display` for [`Packet`]: a one-line summary in the style of mosquitto's verbose log
//! (`-v`), written straight to the formatter (no allocation).

use core::fmt::{self, Display, Formatter, Write};

use crate::packet::{Ack, Packet, SubAck};
use crate::properties::Properties;
use crate::reason::ReasonCode;
use crate::types::Version;

/// One line per packet, mosquitto style: flags as letter + digit (`d0` DUP, `q1` QoS, `r0`
/// retain, `m7` packet id, `c1` clean start, `k60` keep alive, `u1`/`p1` user name and
/// password present, `s0` session present), reason codes in decimal (`rc0`), strings in
/// single quotes (escaped, so the line stays one line), payloads by size only, and the
/// number of 5.0 properties when there are any.
///
/// # Examples
/// ```
/// use mqtt_wire::{Connect, Packet, PacketId, Publish, QoS, Version, Will};
/// let publish = Packet::Publish(Publish {
///     qos: QoS::AtLeastOnce,
///     packet_id: Some(PacketId::new_const::<7>()),
///     ..Publish::new("a/b", b"hello")
/// });
/// assert_eq!(publish.to_string(), "PUBLISH (d0, q1, r0, m7, 'a/b', ... (5 bytes))");
/// let connect = Packet::Connect(Connect {
///     keep_alive: 60,
///     username: Some("u"),
///     password: Some(b"p"),
///     will: Some(Will { qos: QoS::AtLeastOnce, ..Will::new("dev-1/status", b"gone") }),
///     ..Connect::new(Version::V5, "dev-1")
/// });
/// assert_eq!(connect.to_string(), "CONNECT v5 client 'dev-1' (c1, k60, u1, p1, will q1 r0 'dev-1/status')");
/// assert_eq!(Packet::PingReq.to_string(), "PINGREQ");
/// ```
impl Display for Packet<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.packet_type().name())?;
        match self {
            Self::Connect(c) => {
                let v = match c.version {
                    Version::V3_1 => "3.1",
                    Version::V3_1_1 => "3.1.1",
                    Version::V5 => "5",
                };
                write!(f, " v{v} client ")?;
                quoted(f, c.client_id)?;
                write!(
                    f,
                    " (c{}, k{}, u{}, p{}",
                    u8::from(c.clean_start),
                    c.keep_alive,
                    u8::from(c.username.is_some()),
                    u8::from(c.password.is_some()),
                )?;
                if c.bridge {
                    f.write_str(", bridge")?;
                }
                if let Some(w) = &c.will {
                    write!(f, ", will q{} r{} ", w.qos as u8, u8::from(w.retain))?;
                    quoted(f, w.topic)?;
                }
                props(f, &c.properties)?;
                f.write_char(')')
            }
            Self::ConnAck(c) => {
                write!(f, " (s{}, ", u8::from(c.session_present))?;
                rc(f, c.reason_code)?;
                props(f, &c.properties)?;
                f.write_char(')')
            }
            Self::Publish(p) => {
                write!(
                    f,
                    " (d{}, q{}, r{}, m{}, ",
                    u8::from(p.dup),
                    p.qos as u8,
                    u8::from(p.retain),
                    p.packet_id.map_or(0, crate::PacketId::get),
                )?;
                quoted(f, p.topic)?;
                write!(f, ", ... ({} bytes)", p.payload.len())?;
                props(f, &p.properties)?;
                f.write_char(')')
            }
            Self::PubAck(a) | Self::PubRec(a) | Self::PubRel(a) | Self::PubComp(a) => ack(f, a),
            Self::Subscribe(s) => {
                write!(f, " (m{}", s.packet_id)?;
                for sub in s.subscriptions.iter() {
                    f.write_str(", ")?;
                    quoted(f, sub.filter)?;
                    let o = sub.options;
                    write!(f, " q{}", o.qos as u8)?;
                    if o.no_local || o.retain_as_published || o.retain_handling as u8 != 0 {
                        write!(
                            f,
                            " nl{} rap{} rh{}",
                            u8::from(o.no_local),
                            u8::from(o.retain_as_published),
                            o.retain_handling as u8
                        )?;
                    }
                }
                props(f, &s.properties)?;
                f.write_char(')')
            }
            Self::SubAck(s) | Self::UnsubAck(s) => suback(f, s),
            Self::Unsubscribe(u) => {
                write!(f, " (m{}", u.packet_id)?;
                for filter in u.filters.iter() {
                    f.write_str(", ")?;
                    quoted(f, filter)?;
                }
                props(f, &u.properties)?;
                f.write_char(')')
            }
            Self::PingReq | Self::PingResp => Ok(()),
            Self::Disconnect(d) => {
                f.write_str(" (")?;
                rc(f, d.reason_code)?;
                props(f, &d.properties)?;
                f.write_char(')')
            }
            Self::Auth(a) => {
                f.write_str(" (")?;
                rc(f, a.reason_code)?;
                props(f, &a.properties)?;
                f.write_char(')')
            }
        }
    }
}

fn ack(f: &mut Formatter<'_>, a: &Ack<'_>) -> fmt::Result {
    write!(f, " (m{}, ", a.packet_id)?;
    rc(f, a.reason_code)?;
    props(f, &a.properties)?;
    f.write_char(')')
}

fn suback(f: &mut Formatter<'_>, s: &SubAck<'_>) -> fmt::Result {
    write!(f, " (m{}", s.packet_id)?;
    for code in s.reason_codes.iter() {
        f.write_str(", ")?;
        rc(f, code)?;
    }
    props(f, &s.properties)?;
    f.write_char(')')
}

fn rc(f: &mut Formatter<'_>, code: ReasonCode) -> fmt::Result {
    write!(f, "rc{}", code as u8)
}

fn props(f: &mut Formatter<'_>, p: &Properties<'_>) -> fmt::Result {
    match p.len() {
        0 => Ok(()),
        1 => f.write_str(", 1 property"),
        n => write!(f, ", {n} properties"),
    }
}

/// `'text'`, with quotes, backslashes and control characters escaped.
fn quoted(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\'' => f.write_str("\\'")?,
            '"' => f.write_char('"')?,
            c => write!(f, "{}", c.escape_debug())?,
        }
    }
    f.write_char('\'')
}

#[cfg(test)]
mod tests {
    use std::string::ToString;

    use crate::{
        Ack, Auth, ConnAck, Disconnect, Packet, PacketId, ReasonCode, ReasonCodes, SubAck,
        Subscribe, Subscription, Subscriptions, TopicFilters, Unsubscribe,
    };

    #[test]
    fn every_packet_type_has_a_line() {
        let id = PacketId::new_const::<3>();
        let subs = [
            Subscription::new("a/#", crate::QoS::ExactlyOnce),
            Subscription {
                options: crate::SubscriptionOptions {
                    no_local: true,
                    ..crate::SubscriptionOptions::new(crate::QoS::AtMostOnce)
                },
                ..Subscription::new("it's\n", crate::QoS::AtMostOnce)
            },
        ];
        let codes = [ReasonCode::GrantedQoS2, ReasonCode::NotAuthorized];
        let cases: [(Packet<'_>, &str); 11] = [
            (
                Packet::ConnAck(ConnAck::new(ReasonCode::Success)),
                "CONNACK (s0, rc0)",
            ),
            (Packet::PubAck(Ack::new(id)), "PUBACK (m3, rc0)"),
            (Packet::PubRec(Ack::new(id)), "PUBREC (m3, rc0)"),
            (Packet::PubRel(Ack::new(id)), "PUBREL (m3, rc0)"),
            (Packet::PubComp(Ack::new(id)), "PUBCOMP (m3, rc0)"),
            (
                Packet::Subscribe(Subscribe::new(id, Subscriptions::new(&subs))),
                "SUBSCRIBE (m3, 'a/#' q2, 'it\\'s\\n' q0 nl1 rap0 rh0)",
            ),
            (
                Packet::SubAck(SubAck::new(id, ReasonCodes::new(&codes))),
                "SUBACK (m3, rc2, rc135)",
            ),
            (
                Packet::Unsubscribe(Unsubscribe::new(id, TopicFilters::new(&["a", "b"]))),
                "UNSUBSCRIBE (m3, 'a', 'b')",
            ),
            (
                Packet::UnsubAck(SubAck::new(id, ReasonCodes::EMPTY)),
                "UNSUBACK (m3)",
            ),
            (Packet::Disconnect(Disconnect::new()), "DISCONNECT (rc0)"),
            (Packet::Auth(Auth::new()), "AUTH (rc0)"),
        ];
        for (packet, line) in cases {
            assert_eq!(packet.to_string(), line);
        }
        assert_eq!(Packet::PingResp.to_string(), "PINGRESP");
    }

    #[test]
    fn bridge_connect() {
        let c = crate::Connect {
            bridge: true,
            ..crate::Connect::new(crate::Version::V3_1_1, "br")
        };
        assert_eq!(
            Packet::Connect(c).to_string(),
            "CONNECT v3.1.1 client 'br' (c1, k60, u0, p0, bridge)"
        );
    }
}
