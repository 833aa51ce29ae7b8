#!/usr/bin/env python3
"""The real paho-mqtt 2.x client against the mqtt-wire example broker.

Usage: interop.py PORT   (the broker from `cargo run --example broker -- --port PORT`)

For MQTT 3.1, 3.1.1 and 5.0: connect with a will and a user name and password, subscribe
with wildcards at QoS 0/1/2, publish at QoS 0/1/2 and receive (payload, QoS, order,
downgrade to the subscription's QoS), retained messages, 5.0 properties, unsubscribe,
keep-alive pings, a will after an abrupt close, and a clean disconnect. Then mixed
versions, and a will after a keep-alive timeout.

Every wait has a deadline. Exits 0 when everything held, 1 with a message otherwise.
"""

import queue
import socket
import sys
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

TIMEOUT = 5.0  # for anything the broker should do at once
QUIET = 0.4  # how long "nothing arrives" is watched
PORT = 0
VERSIONS = [("3.1", mqtt.MQTTv31), ("3.1.1", mqtt.MQTTv311), ("5.0", mqtt.MQTTv5)]


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


def take(q, what, timeout=TIMEOUT):
    try:
        return q.get(timeout=timeout)
    except queue.Empty:
        raise Failure(f"timed out after {timeout} s waiting for {what}") from None


class Peer:
    """A paho client on its own network thread, its callbacks turned into queues."""

    def __init__(self, name, protocol, client_id=None, keepalive=60, will=None):
        self.name = name
        self.v5 = protocol == mqtt.MQTTv5
        self.messages = queue.Queue()
        self.acks = queue.Queue()
        self.published = queue.Queue()
        self.connacks = queue.Queue()
        self.disconnects = queue.Queue()
        self.log = []
        kwargs = {} if self.v5 else {"clean_session": True}
        c = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=name if client_id is None else client_id,
            protocol=protocol,
            **kwargs,
        )
        c.on_connect = lambda _c, _u, flags, rc, props: self.connacks.put((rc, props))
        c.on_message = lambda _c, _u, msg: self.messages.put(msg)
        c.on_subscribe = lambda _c, _u, mid, codes, _p: self.acks.put(("SUBACK", mid, codes))
        c.on_unsubscribe = lambda _c, _u, mid, codes, _p: self.acks.put(("UNSUBACK", mid, codes))
        c.on_publish = lambda _c, _u, mid, rc, _p: self.published.put((mid, rc))
        c.on_disconnect = lambda _c, _u, _f, rc, _p: self.disconnects.put(rc)
        c.on_log = lambda _c, _u, _level, text: self.log.append(text)
        c.username_pw_set(f"user-{name}", b"secret \x00\xff")
        if will:
            c.will_set(**will)
        self.client = c
        c.connect("127.0.0.1", PORT, keepalive=keepalive)
        c.loop_start()
        rc, props = take(self.connacks, f"{name}: CONNACK")
        check(rc == 0, f"{name}: CONNACK refused: {rc}")
        self.connack_properties = props

    def subscribe(self, subscriptions, expect):
        """subscriptions: [(filter, qos or SubscribeOptions)]; expect: granted codes."""
        rc, mid = self.client.subscribe(subscriptions)
        check(rc == mqtt.MQTT_ERR_SUCCESS, f"{self.name}: subscribe() returned {rc}")
        kind, got_mid, codes = take(self.acks, f"{self.name}: SUBACK")
        check((kind, got_mid) == ("SUBACK", mid), f"{self.name}: {kind} {got_mid}, expected SUBACK {mid}")
        values = [int(c.value) for c in codes]
        check(values == expect, f"{self.name}: SUBACK codes {values}, expected {expect}")

    def unsubscribe(self, filters, expect):
        rc, mid = self.client.unsubscribe(filters)
        check(rc == mqtt.MQTT_ERR_SUCCESS, f"{self.name}: unsubscribe() returned {rc}")
        kind, got_mid, codes = take(self.acks, f"{self.name}: UNSUBACK")
        check((kind, got_mid) == ("UNSUBACK", mid), f"{self.name}: {kind} {got_mid}, expected UNSUBACK {mid}")
        if self.v5:
            codes = codes if isinstance(codes, list) else [codes]
            values = [int(c.value) for c in codes]
            check(values == expect, f"{self.name}: UNSUBACK codes {values}, expected {expect}")

    def publish(self, topic, payload, qos=0, retain=False, properties=None):
        """Publishes and waits until the handshake for `qos` is complete."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        check(info.rc == mqtt.MQTT_ERR_SUCCESS, f"{self.name}: publish() returned {info.rc}")
        info.wait_for_publish(timeout=TIMEOUT)
        check(info.is_published(), f"{self.name}: QoS {qos} publish to {topic} not completed")
        return info.mid

    def receive(self, what):
        return take(self.messages, f"{self.name}: {what}")

    def expect(self, topic, payload, qos, retain=False):
        m = self.receive(f"{topic} {payload!r}")
        got = (m.topic, m.payload, m.qos, bool(m.retain))
        want = (topic, payload, qos, retain)
        check(got == want, f"{self.name}: received (topic, payload, qos, retain) {got}, expected {want}")
        return m

    def expect_nothing(self, why):
        try:
            m = self.messages.get(timeout=QUIET)
        except queue.Empty:
            return
        raise Failure(f"{self.name}: {why}, but received {m.topic} {m.payload!r}")

    def disconnect(self):
        self.client.disconnect()
        rc = take(self.disconnects, f"{self.name}: disconnection")
        check(rc == 0, f"{self.name}: clean disconnect gave {rc}")
        self.client.loop_stop()

    def vanish(self):
        """Drops the TCP connection without DISCONNECT, as a crash would."""
        self.client.loop_stop()
        self.client.socket().close()


def session(tag, protocol):
    v5 = protocol == mqtt.MQTTv5
    root = f"paho/{tag}"
    will_topic = f"{root}/will"

    # Subscriber: wildcard filters at QoS 0, 1 and 2.
    sub = Peer(f"paho-sub-{tag}", protocol)
    if v5:
        props = sub.connack_properties
        check(props.ReceiveMaximum == 64, f"CONNACK Receive Maximum: {props}")
        check(getattr(props, "TopicAliasMaximum", 0) == 0, f"CONNACK Topic Alias Maximum: {props}")
    sub.subscribe([(f"{root}/q0/#", 0), (f"{root}/q1/+", 1), (f"{root}/q2/#", 2), (will_topic, 1)], [0, 1, 2, 1])

    # Publisher, with a will.
    will = {"topic": will_topic, "payload": b"publisher vanished", "qos": 1, "retain": False}
    if v5:
        will_props = Properties(PacketTypes.WILLMESSAGE)
        will_props.UserProperty = [("why", "crash")]
        will_props.WillDelayInterval = 0
        will["properties"] = will_props
    pub = Peer(f"paho-pub-{tag}", protocol, will=will)

    # QoS 0, 1, 2 on a QoS 2 subscription: each QoS arrives as sent and in order.
    sent = []
    for qos in (0, 1, 2):
        for i in range(5):
            payload = f"q{qos}-{i}".encode()
            pub.publish(f"{root}/q2/data", payload, qos=qos)
            sent.append((payload, qos))
    got = [sub.receive(f"message {n + 1} of {len(sent)}") for n in range(len(sent))]
    for qos in (0, 1, 2):
        want = [p for p, q in sent if q == qos]
        have = [m.payload for m in got if m.qos == qos]
        check(have == want, f"QoS {qos} messages received {have}, expected {want} in this order")
    check(all(m.topic == f"{root}/q2/data" and not m.retain for m in got), "wrong topic or retain flag")

    # Delivered at the lower of the published and the subscribed QoS (MQTT-3.8.4-6).
    pub.publish(f"{root}/q1/x", b"2 on a QoS 1 subscription", qos=2)
    sub.expect(f"{root}/q1/x", b"2 on a QoS 1 subscription", 1)
    pub.publish(f"{root}/q0/a/b", b"2 on a QoS 0 subscription", qos=2)
    sub.expect(f"{root}/q0/a/b", b"2 on a QoS 0 subscription", 0)
    pub.publish(f"{root}/q1/x/y", b"matches no filter", qos=1)
    pub.publish(f"{root}/q2", b"sentinel: q2/# matches its parent level")
    sub.expect(f"{root}/q2", b"sentinel: q2/# matches its parent level", 0)

    # Retained: live copies carry RETAIN=0, a new subscription gets RETAIN=1.
    retained = f"{root}/q2/retained"
    pub.publish(retained, b"kept", qos=1, retain=True)
    sub.expect(retained, b"kept", 1, retain=False)
    late = Peer(f"paho-late-{tag}", protocol, will={"topic": will_topic, "payload": b"late", "qos": 0})
    late.subscribe([(f"{root}/+/retained", 2)], [2])
    late.expect(retained, b"kept", 1, retain=True)
    pub.publish(retained, b"", qos=0, retain=True)  # clears it
    sub.expect(retained, b"", 0)
    late.expect(retained, b"", 0)
    late.subscribe([(f"{root}/#", 0)], [0])
    late.expect_nothing("the retained message was cleared")

    if v5:
        check_v5(root, sub, pub)

    # Unsubscribe: nothing more on that filter.
    sub.unsubscribe([f"{root}/q0/#", f"{root}/never/subscribed"], [0x00, 0x11])
    pub.publish(f"{root}/q0/data", b"after unsubscribe", qos=1)
    pub.publish(f"{root}/q2/data", b"sentinel after unsubscribe")
    sub.expect(f"{root}/q2/data", b"sentinel after unsubscribe", 0)

    # Keep-alive: with Keep Alive 1 s, paho pings; the broker answers and keeps it.
    pinger = Peer(f"paho-ping-{tag}", protocol, keepalive=1)
    time.sleep(2.5)
    pings = sum("Sending PINGREQ" in line for line in pinger.log)
    pongs = sum("Received PINGRESP" in line for line in pinger.log)
    check(pings >= 1 and pongs >= 1, f"{pings} PINGREQ sent, {pongs} PINGRESP received")
    check(pinger.client.is_connected(), "the pinging client was disconnected")
    pinger.disconnect()

    # A clean DISCONNECT discards the will (MQTT-3.1.2-10).
    late.disconnect()
    pub.publish(f"{root}/q2/data", b"sentinel after clean disconnect")
    sub.expect(f"{root}/q2/data", b"sentinel after clean disconnect", 0)
    sub.expect_nothing("a cleanly disconnected client's will was published")

    # The publisher vanishes without DISCONNECT: its will is published (MQTT-3.1.2-8).
    pub.vanish()
    w = sub.expect(will_topic, b"publisher vanished", 1)
    if v5:
        check(w.properties.UserProperty == [("why", "crash")], f"will properties: {w.properties}")

    sub.disconnect()


def check_v5(root, sub, pub):
    # Properties are forwarded unchanged and in order (MQTT-3.3.2-15..20).
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("origin", "paho"), ("k", "1"), ("k", "2"), ("ünï", "cödé")]
    props.ContentType = "text/plain; charset=utf-8"
    props.PayloadFormatIndicator = 1
    props.ResponseTopic = f"{root}/reply"
    props.CorrelationData = b"\x00\x01\xfe\xff"
    props.MessageExpiryInterval = 3600
    pub.publish(f"{root}/q2/props", "héllo".encode(), qos=2, properties=props)
    m = sub.expect(f"{root}/q2/props", "héllo".encode(), 2)
    p = m.properties
    check(getattr(p, "UserProperty", None) == props.UserProperty, f"user properties: {p}")
    for name in ("ContentType", "PayloadFormatIndicator", "ResponseTopic", "CorrelationData"):
        check(getattr(p, name, None) == getattr(props, name), f"{name}: {getattr(p, name, None)!r}")
    check(p.MessageExpiryInterval in (3599, 3600), f"Message Expiry Interval {p.MessageExpiryInterval}")

    # PUBACK says when nobody was subscribed (0x10).
    mid = pub.publish("paho/nobody/listens", b"?", qos=1)
    acked = take(pub.published, "on_publish")
    while acked[0] != mid:
        acked = take(pub.published, f"on_publish for mid {mid}")
    check(acked[1] == 0x10, f"PUBACK reason {acked[1]}, expected 0x10 No matching subscribers")

    # No Local: no copy of one's own messages; Retain As Published keeps RETAIN=1.
    sub.subscribe([(f"{root}/own", SubscribeOptions(qos=1, noLocal=True))], [1])
    sub.subscribe([(f"{root}/rap", SubscribeOptions(qos=1, retainAsPublished=True))], [1])
    sub.publish(f"{root}/own", b"to myself", qos=1)
    pub.publish(f"{root}/rap", b"retained, as published", qos=1, retain=True)
    sub.expect(f"{root}/rap", b"retained, as published", 1, retain=True)
    pub.publish(f"{root}/rap", b"", qos=1, retain=True)
    sub.expect(f"{root}/rap", b"", 1, retain=True)

    # Shared subscriptions are refused (0x9E), the rest of the SUBSCRIBE still works.
    sub.subscribe([("$share/g/x", 0), (f"{root}/q1/+", 1)], [0x9E, 1])

    # An empty client id gets an Assigned Client Identifier (MQTT-3.2.2-16).
    anon = Peer("paho-anonymous", mqtt.MQTTv5, client_id="")
    assigned = getattr(anon.connack_properties, "AssignedClientIdentifier", "")
    check(assigned != "", f"no Assigned Client Identifier: {anon.connack_properties}")
    anon.disconnect()


def mixed_versions():
    """A 5.0 publisher's message reaches a 3.1 subscriber (without properties), and back."""
    old = Peer("paho-mixed-31", mqtt.MQTTv31)
    new = Peer("paho-mixed-5", mqtt.MQTTv5)
    old.subscribe([("paho/mixed/to31", 2)], [2])
    new.subscribe([("paho/mixed/to5", 2)], [2])
    props = Properties(PacketTypes.PUBLISH)
    props.UserProperty = [("dropped", "for 3.1")]
    new.publish("paho/mixed/to31", b"from 5.0", qos=2, properties=props)
    old.expect("paho/mixed/to31", b"from 5.0", 2)
    old.publish("paho/mixed/to5", b"from 3.1", qos=1)
    m = new.expect("paho/mixed/to5", b"from 3.1", 1)
    check(not getattr(m.properties, "UserProperty", None), f"properties appeared: {m.properties}")
    old.disconnect()
    new.disconnect()


def keepalive_timeout():
    """A client that stops talking is dropped after 1.5 x Keep Alive, and its will sent."""
    watcher = Peer("paho-watcher", mqtt.MQTTv311)
    watcher.subscribe([("paho/silent/will", 1)], [1])
    will = {"topic": "paho/silent/will", "payload": b"went silent", "qos": 1}
    silent = Peer("paho-silent", mqtt.MQTTv311, keepalive=1, will=will)
    silent.client.loop_stop()  # no more PINGREQ
    started = time.monotonic()
    watcher.expect("paho/silent/will", b"went silent", 1)
    waited = time.monotonic() - started
    check(1.0 <= waited <= 3.5, f"will after {waited:.1f} s, expected about 1.5 s")
    silent.client.socket().close()
    watcher.disconnect()


class Raw:
    """A hand-made client on a plain socket, for what paho would never send."""

    def __init__(self, first_bytes):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=TIMEOUT)
        self.sock.sendall(first_bytes)

    def read_packet(self):
        """(first byte, body) of the next packet, or None when the broker closed."""
        head = self.sock.recv(1)
        if not head:
            return None
        length, shift = 0, 0
        while True:
            b = self.sock.recv(1)[0]
            length |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        body = b""
        while len(body) < length:
            chunk = self.sock.recv(length - len(body))
            check(chunk, "connection closed inside a packet")
            body += chunk
        return head[0], body

    def expect_close(self, what):
        rest = self.read_packet()
        check(rest is None, f"{what}: expected the connection to close, got {rest}")
        self.sock.close()


CONNECT_V5 = bytes.fromhex("10 10 0004 4d515454 05 02 003c 00 0003 726177")  # client id "raw"
CONNECT_V311 = bytes.fromhex("10 0f 0004 4d515454 04 02 003c 0003 726177")


def misbehaving():
    """Broken clients lose their own connection, with the right answer, and nothing else."""
    bystander = Peer("paho-bystander", mqtt.MQTTv5)
    bystander.subscribe([("paho/bystander", 1)], [1])

    # 5.0: a PUBLISH with QoS 3 is malformed (MQTT-3.3.1-4): DISCONNECT 0x81, then close.
    raw = Raw(CONNECT_V5)
    kind, body = raw.read_packet()
    check(kind == 0x20 and body[:2] == b"\x00\x00", f"CONNACK expected, got {kind:#x} {body.hex()}")
    raw.sock.sendall(bytes.fromhex("36 05 0001 61 0001"))
    kind, body = raw.read_packet()
    check((kind, body[:1]) == (0xE0, b"\x81"), f"DISCONNECT 0x81 expected, got {kind:#x} {body.hex()}")
    raw.expect_close("after DISCONNECT")

    # 5.0: a packet over our Maximum Packet Size (1 MiB): DISCONNECT 0x95 Packet too large.
    raw = Raw(CONNECT_V5)
    raw.read_packet()
    raw.sock.sendall(bytes.fromhex("30 ff ff ff 7f"))
    kind, body = raw.read_packet()
    check((kind, body[:1]) == (0xE0, b"\x95"), f"DISCONNECT 0x95 expected, got {kind:#x} {body.hex()}")
    raw.expect_close("after DISCONNECT")

    # Unknown protocol level: CONNACK return code 1, then close (MQTT-3.1.2-2).
    raw = Raw(CONNECT_V311.replace(b"MQTT\x04", b"MQTT\x07"))
    packet = raw.read_packet()
    check(packet == (0x20, b"\x00\x01"), f"CONNACK 0x01 expected, got {packet}")
    raw.expect_close("after the refusal")

    # 3.1.1: a first packet that is not CONNECT: just closed (MQTT-3.1.0-1).
    raw = Raw(bytes.fromhex("c0 00"))
    raw.expect_close("PINGREQ before CONNECT")

    # 3.1.1: a second CONNECT is a protocol violation (MQTT-3.1.0-2).
    raw = Raw(CONNECT_V311)
    check(raw.read_packet() == (0x20, b"\x00\x00"), "CONNACK expected")
    raw.sock.sendall(CONNECT_V311)
    raw.expect_close("second CONNECT")

    # The well-behaved client noticed nothing.
    check(bystander.client.is_connected(), "the bystander was disconnected")
    bystander.publish("paho/bystander", b"still here", qos=1)
    bystander.expect("paho/bystander", b"still here", 1)
    bystander.disconnect()


def main():
    global PORT
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    PORT = int(sys.argv[1])
    step = "start"
    try:
        for tag, protocol in VERSIONS:
            step = f"MQTT {tag}"
            started = time.monotonic()
            session(tag, protocol)
            print(f"ok: MQTT {tag} ({time.monotonic() - started:.1f} s)")
        step = "mixed versions"
        mixed_versions()
        print("ok: mixed versions")
        step = "keep-alive timeout"
        keepalive_timeout()
        print("ok: keep-alive timeout")
        step = "misbehaving clients"
        misbehaving()
        print("ok: misbehaving clients")
    except Failure as e:
        print(f"FAILED ({step}): {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 (a paho or socket error is a failure too)
        print(f"FAILED ({step}): {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
