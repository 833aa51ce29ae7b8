#!/usr/bin/env python3
"""Capture real MQTT traffic between real clients and a real broker.

For every scenario this script starts a private mosquitto broker on a free
port of 127.0.0.1, puts a small logging TCP proxy in front of it, and points
a real client program (the paho-mqtt Python library, or the mosquitto_pub /
mosquitto_sub command line tools) at the proxy.  The proxy cuts the byte
stream of each direction into MQTT control packets using only the fixed
header (first byte + Remaining Length variable byte integer) and records
them.  Nothing is synthesised: every recorded byte was written by mosquitto
or by one of the clients.

Usage:
    python3 testdata/capture.py            # regenerate every capture file
    python3 testdata/capture.py --check    # only verify the existing files
    python3 testdata/capture.py --only v5/paho_ping   # run a subset (substring match)

Standard library only, except that the paho scenarios import paho-mqtt 2.x.
The file format is described in testdata/README.md.
"""

import argparse
import concurrent.futures
import datetime
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = "127.0.0.1"
VERSION_DIRS = {3: "v3_1", 4: "v3_1_1", 5: "v5"}
CLI_VERSION_FLAG = {3: "mqttv31", 4: "mqttv311", 5: "mqttv5"}

PACKET_NAMES = {
    1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 5: "PUBREC",
    6: "PUBREL", 7: "PUBCOMP", 8: "SUBSCRIBE", 9: "SUBACK", 10: "UNSUBSCRIBE",
    11: "UNSUBACK", 12: "PINGREQ", 13: "PINGRESP", 14: "DISCONNECT", 15: "AUTH",
}


# ---------------------------------------------------------------------------
# Fixed header splitting (used by the proxy)
# ---------------------------------------------------------------------------

def read_varint(buf, pos):
    """Decode an MQTT variable byte integer at buf[pos:].

    Returns (value, number_of_bytes) or None if more bytes are needed.
    Raises ValueError on an encoding longer than 4 bytes."""
    value = 0
    for i in range(4):
        if pos + i >= len(buf):
            return None
        b = buf[pos + i]
        value |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return value, i + 1
    raise ValueError("variable byte integer longer than 4 bytes")


def split_packets(buf):
    """Split as many complete packets as possible off the front of buf.

    Returns (list_of_packets, remaining_bytes)."""
    packets = []
    pos = 0
    while pos < len(buf):
        vi = read_varint(buf, pos + 1)
        if vi is None:
            break
        rl, n = vi
        end = pos + 1 + n + rl
        if end > len(buf):
            break
        packets.append(bytes(buf[pos:end]))
        pos = end
    return packets, bytes(buf[pos:])


# ---------------------------------------------------------------------------
# Packet inspection, only used to write the human readable "# ..." comments
# and to find the client id / protocol level of a connection.
# ---------------------------------------------------------------------------

class Reader:
    def __init__(self, data, pos=0):
        self.d = data
        self.p = pos

    def left(self):
        return len(self.d) - self.p

    def u8(self):
        v = self.d[self.p]
        self.p += 1
        return v

    def u16(self):
        v = int.from_bytes(self.d[self.p:self.p + 2], "big")
        self.p += 2
        return v

    def u32(self):
        v = int.from_bytes(self.d[self.p:self.p + 4], "big")
        self.p += 4
        return v

    def varint(self):
        v, n = read_varint(self.d, self.p)
        self.p += n
        return v

    def binary(self):
        n = self.u16()
        v = bytes(self.d[self.p:self.p + n])
        self.p += n
        return v

    def string(self):
        return self.binary().decode("utf-8", "replace")

    def rest(self):
        v = bytes(self.d[self.p:])
        self.p = len(self.d)
        return v


# property id -> (short name, kind)
PROPERTIES = {
    0x01: ("payload-format", "byte"),
    0x02: ("message-expiry", "u32"),
    0x03: ("content-type", "str"),
    0x08: ("response-topic", "str"),
    0x09: ("correlation-data", "bin"),
    0x0B: ("subscription-id", "varint"),
    0x11: ("session-expiry", "u32"),
    0x12: ("assigned-client-id", "str"),
    0x13: ("server-keep-alive", "u16"),
    0x15: ("auth-method", "str"),
    0x16: ("auth-data", "bin"),
    0x17: ("request-problem-info", "byte"),
    0x18: ("will-delay", "u32"),
    0x19: ("request-response-info", "byte"),
    0x1A: ("response-info", "str"),
    0x1C: ("server-reference", "str"),
    0x1F: ("reason-string", "str"),
    0x21: ("receive-maximum", "u16"),
    0x22: ("topic-alias-maximum", "u16"),
    0x23: ("topic-alias", "u16"),
    0x24: ("maximum-qos", "byte"),
    0x25: ("retain-available", "byte"),
    0x26: ("user-property", "pair"),
    0x27: ("maximum-packet-size", "u32"),
    0x28: ("wildcard-sub-available", "byte"),
    0x29: ("sub-id-available", "byte"),
    0x2A: ("shared-sub-available", "byte"),
}


def show(s, limit=40):
    """Printable, comment-safe rendering of a short string."""
    if isinstance(s, bytes):
        try:
            s = s.decode("utf-8")
        except UnicodeDecodeError:
            return "0x" + s.hex()
    out = "".join(c if 0x20 <= ord(c) < 0x7F else "\\x%02x" % ord(c) for c in s)
    if len(out) > limit:
        out = out[:limit] + "..."
    return '"' + out + '"'


def read_props(r):
    """Read a v5 property block and return a short text rendering."""
    length = r.varint()
    end = r.p + length
    items = []
    while r.p < end:
        pid = r.varint()
        name, kind = PROPERTIES.get(pid, ("0x%02x" % pid, None))
        if kind == "byte":
            items.append("%s=%d" % (name, r.u8()))
        elif kind == "u16":
            items.append("%s=%d" % (name, r.u16()))
        elif kind == "u32":
            items.append("%s=%d" % (name, r.u32()))
        elif kind == "varint":
            items.append("%s=%d" % (name, r.varint()))
        elif kind == "str":
            items.append("%s=%s" % (name, show(r.string())))
        elif kind == "bin":
            items.append("%s=0x%s" % (name, r.binary().hex()))
        elif kind == "pair":
            k = r.string()
            v = r.string()
            items.append("%s=%s:%s" % (name, show(k), show(v)))
        else:
            r.p = end
            items.append(name + "=?")
    r.p = end
    return "props[" + " ".join(items) + "]" if items else ""


def connect_info(pkt):
    """Return (protocol_name, level, client_id) of a CONNECT packet."""
    rl, n = read_varint(pkt, 1)
    r = Reader(pkt, 1 + n)
    name = r.string()
    level = r.u8()
    r.u8()  # flags
    r.u16()  # keep alive
    if level == 5:
        plen, pn = read_varint(pkt, r.p)
        r.p += pn + plen
    client_id = r.string()
    return name, level, client_id


def describe(pkt, level):
    """One-line human description of a packet (best effort)."""
    ptype = pkt[0] >> 4
    flags = pkt[0] & 0x0F
    name = PACKET_NAMES.get(ptype, "RESERVED%d" % ptype)
    rl, n = read_varint(pkt, 1)
    r = Reader(pkt, 1 + n)
    v5 = level == 5
    parts = [name]
    try:
        if ptype == 1:
            proto = r.string()
            lvl = r.u8()
            cf = r.u8()
            ka = r.u16()
            parts.append("%s level=%d" % (proto, lvl))
            parts.append("clean=%d keepalive=%d" % ((cf >> 1) & 1, ka))
            if lvl == 5:
                p = read_props(r)
                if p:
                    parts.append(p)
            parts.append("client_id=%s" % show(r.string()))
            if cf & 0x04:
                wp = ""
                if lvl == 5:
                    wp = read_props(r)
                wt = r.string()
                wpl = r.binary()
                parts.append("will(topic=%s qos%d%s payload=%s%s)" % (
                    show(wt), (cf >> 3) & 3, " retain" if cf & 0x20 else "",
                    show(wpl), (" " + wp) if wp else ""))
            if cf & 0x80:
                parts.append("username=%s" % show(r.string()))
            if cf & 0x40:
                parts.append("password=%s" % show(r.binary()))
        elif ptype == 2:
            ack = r.u8()
            rc = r.u8()
            parts.append("session_present=%d rc=0x%02x" % (ack & 1, rc))
            if v5 and r.left():
                p = read_props(r)
                if p:
                    parts.append(p)
        elif ptype == 3:
            qos = (flags >> 1) & 3
            parts.append("qos%d" % qos)
            if flags & 0x01:
                parts.append("retain")
            if flags & 0x08:
                parts.append("dup")
            parts.append("topic=%s" % show(r.string(), 60))
            if qos:
                parts.append("id=%d" % r.u16())
            if v5:
                p = read_props(r)
                if p:
                    parts.append(p)
            payload = r.rest()
            parts.append("payload=%s" % (show(payload) if payload else "(empty)"))
        elif ptype in (4, 5, 6, 7):
            parts.append("id=%d" % r.u16())
            if v5 and r.left():
                parts.append("rc=0x%02x" % r.u8())
                if r.left():
                    p = read_props(r)
                    if p:
                        parts.append(p)
        elif ptype in (8, 10):
            parts.append("id=%d" % r.u16())
            if v5:
                p = read_props(r)
                if p:
                    parts.append(p)
            filters = []
            while r.left():
                f = show(r.string(), 60)
                if ptype == 8:
                    o = r.u8()
                    if v5:
                        f += "(qos%d%s%s rh=%d)" % (
                            o & 3, " nl" if o & 4 else "", " rap" if o & 8 else "", (o >> 4) & 3)
                    else:
                        f += "(qos%d)" % o
                filters.append(f)
            parts.append("filters=" + ",".join(filters))
        elif ptype in (9, 11):
            parts.append("id=%d" % r.u16())
            if v5:
                p = read_props(r)
                if p:
                    parts.append(p)
            codes = r.rest()
            if codes:
                parts.append("codes=" + ",".join("0x%02x" % c for c in codes))
        elif ptype in (14, 15):
            if v5 and r.left():
                parts.append("rc=0x%02x" % r.u8())
                if r.left():
                    p = read_props(r)
                    if p:
                        parts.append(p)
    except Exception:  # description only, never fatal
        parts.append("(undecodable)")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Logging proxy
# ---------------------------------------------------------------------------

class Connection:
    def __init__(self, index):
        self.index = index
        self.records = []       # list of (direction, packet bytes)
        self.client_id = None
        self.level = None
        self.leftover = {"C": b"", "S": b""}
        self.socks = []
        self.threads = []


class Proxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.bind((HOST, 0))
        self.lsock.listen(16)
        self.lsock.settimeout(0.2)
        self.port = self.lsock.getsockname()[1]
        self.conns = []
        self.cond = threading.Condition()
        self.stopping = False
        self.accept_thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.accept_thread.start()

    def _accept_loop(self):
        while not self.stopping:
            try:
                csock, _ = self.lsock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            csock.settimeout(None)
            try:
                ssock = socket.create_connection((HOST, self.upstream_port), timeout=5)
            except OSError:
                csock.close()
                continue
            for s in (csock, ssock):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.settimeout(60)
            with self.cond:
                conn = Connection(len(self.conns) + 1)
                conn.socks = [csock, ssock]
                self.conns.append(conn)
            for src, dst, d in ((csock, ssock, "C"), (ssock, csock, "S")):
                t = threading.Thread(target=self._pump, args=(conn, src, dst, d), daemon=True)
                conn.threads.append(t)
                t.start()

    def _pump(self, conn, src, dst, direction):
        buf = b""
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            buf += data
            packets, buf = split_packets(buf)
            with self.cond:
                for p in packets:
                    if direction == "C" and conn.client_id is None and p[0] >> 4 == 1:
                        try:
                            _, conn.level, conn.client_id = connect_info(p)
                        except Exception:
                            pass
                    conn.records.append((direction, p))
                self.cond.notify_all()
            try:
                dst.sendall(data)
            except OSError:
                break
        with self.cond:
            conn.leftover[direction] = buf
            self.cond.notify_all()
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    # -- helpers for scenarios ------------------------------------------------

    def find(self, client_id):
        for c in self.conns:
            if c.client_id == client_id:
                return c
        return None

    def count(self, client_id, direction, ptype):
        c = self.find(client_id)
        if c is None:
            return 0
        return sum(1 for d, p in c.records if d == direction and p[0] >> 4 == ptype)

    def wait_packets(self, client_id, direction, ptype, n=1, timeout=5.0):
        """Block until connection client_id has seen n packets of a type."""
        with self.cond:
            ok = self.cond.wait_for(
                lambda: self.count(client_id, direction, ptype) >= n, timeout)
        if not ok:
            raise TimeoutError("no %d x %s %s for %r" % (
                n, direction, PACKET_NAMES[ptype], client_id))

    def sever(self, client_id):
        """Abruptly cut a connection on both sides (simulated network failure)."""
        c = self.find(client_id)
        for s in c.socks:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self, timeout=5.0):
        deadline = time.time() + timeout
        # let connections that are still closing finish by themselves
        for c in list(self.conns):
            for t in c.threads:
                t.join(max(0.0, deadline - time.time()))
        self.stopping = True
        for c in list(self.conns):
            for s in c.socks:
                try:
                    s.close()
                except OSError:
                    pass
            for t in c.threads:
                t.join(1.0)
        self.accept_thread.join(1.0)
        self.lsock.close()


# ---------------------------------------------------------------------------
# Broker
# ---------------------------------------------------------------------------

def find_mosquitto():
    return shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Broker:
    USERS = {"alice": "secret", "bob": "hunter2"}

    def __init__(self, allow_anonymous=True, extra_conf=()):
        self.extra_conf = list(extra_conf)
        self.dir = tempfile.mkdtemp(prefix="mqtt-capture-")
        os.chmod(self.dir, 0o755)  # mosquitto may drop privileges when run as root
        self.passwd = os.path.join(self.dir, "passwd")
        open(self.passwd, "w").close()
        for user, pw in sorted(self.USERS.items()):
            subprocess.run(["mosquitto_passwd", "-b", self.passwd, user, pw],
                           check=True, timeout=10,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.chmod(self.passwd, 0o644)
        self.allow_anonymous = allow_anonymous
        self.proc = None
        self.port = None

    def start(self):
        for _attempt in range(5):
            self.port = free_port()
            conf = os.path.join(self.dir, "mosquitto.conf")
            with open(conf, "w") as f:
                f.write("listener %d %s\n" % (self.port, HOST))
                f.write("allow_anonymous %s\n" % ("true" if self.allow_anonymous else "false"))
                f.write("password_file %s\n" % self.passwd)
                f.write("sys_interval 1\n")
                f.write("persistence false\n")
                f.write("log_dest file %s\n" % os.path.join(self.dir, "mosquitto.log"))
                f.write("log_type all\n")
                for line in self.extra_conf:
                    f.write(line + "\n")
            os.chmod(conf, 0o644)
            self.proc = subprocess.Popen([find_mosquitto(), "-c", conf],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 5
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection((HOST, self.port), timeout=0.5).close()
                    return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise RuntimeError("could not start mosquitto")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------

class Paho:
    """Thin synchronous wrapper around a paho-mqtt 2.x client."""

    def __init__(self, ctx, client_id, **kw):
        import paho.mqtt.client as mqtt
        self.mqtt = mqtt
        proto = {3: mqtt.MQTTv31, 4: mqtt.MQTTv311, 5: mqtt.MQTTv5}[ctx.level]
        args = dict(callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
                    client_id=client_id, protocol=proto, reconnect_on_failure=False)
        if ctx.level != 5:
            args["clean_session"] = kw.pop("clean_session", True)
        self.c = mqtt.Client(**args)
        self.ctx = ctx
        self.client_id = client_id
        self.lock = threading.Condition()
        self.connack = None
        self.connected = False
        self.disconnected = False
        self.disconnect_rc = None
        self.acked = set()
        self.messages = []
        self.c.on_connect = self._on_connect
        self.c.on_disconnect = self._on_disconnect
        self.c.on_subscribe = self._on_ack
        self.c.on_unsubscribe = self._on_ack
        self.c.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, rc, props):
        with self.lock:
            self.connack = rc
            self.connected = not rc.is_failure
            self.lock.notify_all()

    def _on_disconnect(self, client, userdata, flags, rc, props):
        with self.lock:
            self.disconnected = True
            self.disconnect_rc = rc
            self.lock.notify_all()

    def _on_ack(self, client, userdata, mid, rcs, props):
        with self.lock:
            self.acked.add(mid)
            self.lock.notify_all()

    def _on_message(self, client, userdata, msg):
        with self.lock:
            self.messages.append(msg)
            self.lock.notify_all()

    def _wait(self, pred, what, timeout=5.0):
        with self.lock:
            if not self.lock.wait_for(pred, timeout):
                raise TimeoutError("%s: timed out waiting for %s" % (self.client_id, what))

    def connect(self, keepalive=60, properties=None, expect_refused=False, **kw):
        self.c.connect(HOST, self.ctx.port, keepalive, properties=properties, **kw)
        self.c.loop_start()
        self._wait(lambda: self.connack is not None or self.disconnected, "CONNACK")
        if expect_refused:
            if self.connected:
                raise RuntimeError("connection unexpectedly accepted")
            self._wait(lambda: self.disconnected, "close after refusal")
            self.c.loop_stop()
        elif not self.connected:
            raise RuntimeError("connection refused: %s" % self.connack)
        return self

    def subscribe(self, *a, **kw):
        rc, mid = self.c.subscribe(*a, **kw)
        if rc != 0:
            raise RuntimeError("subscribe failed: %s" % rc)
        self._wait(lambda: mid in self.acked, "SUBACK")

    def unsubscribe(self, *a, **kw):
        rc, mid = self.c.unsubscribe(*a, **kw)
        if rc != 0:
            raise RuntimeError("unsubscribe failed: %s" % rc)
        self._wait(lambda: mid in self.acked, "UNSUBACK")

    def publish(self, topic, payload=None, qos=0, retain=False, properties=None):
        info = self.c.publish(topic, payload, qos, retain, properties)
        info.wait_for_publish(5)
        if not info.is_published():
            raise TimeoutError("publish not completed")
        return info

    def wait_messages(self, n, timeout=5.0):
        self._wait(lambda: len(self.messages) >= n, "%d messages" % n, timeout)

    def wait_disconnected(self, timeout=5.0):
        self._wait(lambda: self.disconnected, "disconnect", timeout)
        self.c.loop_stop()

    def disconnect(self, **kw):
        self.c.disconnect(**kw)
        self.wait_disconnected()


class Cli:
    """Runs mosquitto_pub / mosquitto_sub against the proxy."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.procs = []

    def args(self, prog, client_id, extra):
        return [prog, "-h", HOST, "-p", str(self.ctx.port), "-V",
                CLI_VERSION_FLAG[self.ctx.level], "-i", client_id] + list(extra)

    def run(self, prog, client_id, *extra, ok_codes=(0,), timeout=15):
        cmd = self.args(prog, client_id, extra)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        self.ctx.note_command(cmd, p.returncode)
        if p.returncode not in ok_codes:
            raise RuntimeError("%s exited %d: %s" % (prog, p.returncode,
                                                    p.stderr.decode(errors="replace").strip()))
        return p

    def start(self, prog, client_id, *extra):
        cmd = self.args(prog, client_id, extra)
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL)
        p.cmd = cmd
        self.procs.append(p)
        return p

    def finish(self, p, ok_codes=(0,), timeout=15):
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise
        self.ctx.note_command(p.cmd, p.returncode)
        if p.returncode not in ok_codes:
            raise RuntimeError("%s exited %d: %s" % (p.cmd[0], p.returncode,
                                                    err.decode(errors="replace").strip()))
        return out

    def kill_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait(5)


# ---------------------------------------------------------------------------
# Scenario machinery
# ---------------------------------------------------------------------------

class Ctx:
    def __init__(self, level, port, proxy):
        self.level = level
        self.port = port
        self.proxy = proxy
        self.commands = []
        self.roles = {}

    @property
    def v5(self):
        return self.level == 5

    def note_command(self, cmd, rc):
        shown = []
        for a in cmd:
            if a == str(self.port):
                a = "<port>"
            shown.append(a if re.fullmatch(r"[A-Za-z0-9_./:=+<>-]+", a) else "'" + a + "'")
        self.commands.append("%s  (exit %d)" % (" ".join(shown), rc))

    def role(self, client_id, text):
        self.roles[client_id] = text


SCENARIOS = []


def scenario(client, name, levels, description, anonymous=True, broker_conf=()):
    def deco(fn):
        for lv in levels:
            SCENARIOS.append(dict(client=client, name=name, level=lv, fn=fn,
                                  description=description, anonymous=anonymous,
                                  broker_conf=tuple(broker_conf)))
        return fn
    return deco


ALL = (3, 4, 5)
PUB = 3
SUBACK = 9
UNSUBACK = 11
CONNACK = 2
PINGRESP = 13
DISCONNECT = 14


def v5props(ptype, **values):
    from paho.mqtt.properties import Properties
    from paho.mqtt.packettypes import PacketTypes
    p = Properties(getattr(PacketTypes, ptype))
    for k, v in values.items():
        setattr(p, k, v)
    return p


# ---- paho scenarios -------------------------------------------------------

@scenario("paho", "connect_will_auth", ALL,
          "CONNECT with username/password and a will (QoS 1, retained); accepted; "
          "v5 also carries will properties; then a normal DISCONNECT")
def paho_connect_will_auth(ctx):
    c = Paho(ctx, "paho-will-auth")
    wp = None
    if ctx.v5:
        wp = v5props("WILLMESSAGE", WillDelayInterval=10, MessageExpiryInterval=3600,
                     ContentType="text/plain", ResponseTopic="status/reply",
                     CorrelationData=b"\x00\x01will", PayloadFormatIndicator=1,
                     UserProperty=[("origin", "capture")])
    c.c.will_set("status/paho-will-auth", b"offline", qos=1, retain=True, properties=wp)
    c.c.username_pw_set("alice", "secret")
    c.connect()
    c.disconnect()


@scenario("paho", "connect_refused_bad_password", ALL,
          "CONNECT with a wrong password (broker uses a password file); refused CONNACK")
def paho_refused_password(ctx):
    c = Paho(ctx, "paho-bad-password")
    c.c.username_pw_set("alice", "wrong-password")
    c.connect(expect_refused=True)


@scenario("paho", "connect_refused_not_authorized", ALL,
          "anonymous CONNECT to a broker with allow_anonymous false; refused CONNACK",
          anonymous=False)
def paho_refused_anonymous(ctx):
    c = Paho(ctx, "paho-anonymous")
    c.connect(expect_refused=True)


def paho_qos(ctx, qos):
    sub = Paho(ctx, "paho-sub-qos%d" % qos)
    ctx.role(sub.client_id, "subscriber (QoS 2 subscription)")
    sub.connect()
    sub.subscribe("test/qos%d" % qos, qos=2)
    pub = Paho(ctx, "paho-pub-qos%d" % qos)
    ctx.role(pub.client_id, "publisher")
    pub.connect()
    pub.publish("test/qos%d" % qos, b"hello at qos %d" % qos, qos=qos)
    sub.wait_messages(1)
    ctx.proxy.wait_packets(sub.client_id, "S", PUB)
    time.sleep(0.2)  # let the subscriber side handshake complete
    pub.disconnect()
    sub.disconnect()


@scenario("paho", "publish_qos0", ALL, "PUBLISH QoS 0 from a publisher to a subscriber")
def paho_qos0(ctx):
    paho_qos(ctx, 0)


@scenario("paho", "publish_qos1", ALL,
          "PUBLISH QoS 1 with PUBACK on both legs (publisher->broker, broker->subscriber)")
def paho_qos1(ctx):
    paho_qos(ctx, 1)


@scenario("paho", "publish_qos2", ALL,
          "PUBLISH QoS 2 with PUBREC/PUBREL/PUBCOMP on both legs")
def paho_qos2(ctx):
    paho_qos(ctx, 2)


@scenario("paho", "retained", ALL,
          "retained PUBLISH, a later subscriber receives it with the retain flag, "
          "the retained message is cleared with an empty retained PUBLISH, and a "
          "third subscriber receives nothing")
def paho_retained(ctx):
    pub = Paho(ctx, "paho-retain-pub")
    ctx.role(pub.client_id, "publisher")
    pub.connect()
    pub.publish("config/colour", b"blue", qos=1, retain=True)
    s1 = Paho(ctx, "paho-retain-sub1")
    ctx.role(s1.client_id, "subscriber that gets the retained message")
    s1.connect()
    s1.subscribe("config/#", qos=1)
    s1.wait_messages(1)
    time.sleep(0.1)
    s1.disconnect()
    pub.publish("config/colour", b"", qos=1, retain=True)
    pub.disconnect()
    s2 = Paho(ctx, "paho-retain-sub2")
    ctx.role(s2.client_id, "subscriber after the retained message was cleared")
    s2.connect()
    s2.subscribe("config/#", qos=1)
    time.sleep(0.5)
    if s2.messages:
        raise RuntimeError("retained message was not cleared")
    s2.disconnect()


@scenario("paho", "subscribe_wildcards", ALL,
          "one SUBSCRIBE with three filters (+ and # wildcards, different QoS); "
          "publishes to matching and non-matching topics")
def paho_wildcards(ctx):
    sub = Paho(ctx, "paho-wild-sub")
    ctx.role(sub.client_id, "subscriber")
    sub.connect()
    if ctx.v5:
        from paho.mqtt.subscribeoptions import SubscribeOptions
        sub.subscribe([("sensors/+/temperature", SubscribeOptions(qos=0)),
                       ("home/#", SubscribeOptions(qos=1)),
                       ("+/status", SubscribeOptions(qos=2))])
    else:
        sub.subscribe([("sensors/+/temperature", 0), ("home/#", 1), ("+/status", 2)])
    pub = Paho(ctx, "paho-wild-pub")
    ctx.role(pub.client_id, "publisher")
    pub.connect()
    expected = 0
    for topic, payload, qos, matches in (
            ("sensors/kitchen/temperature", b"21.5", 1, True),
            ("home/livingroom/light", b"on", 1, True),
            ("device/status", b"ok", 2, True),
            ("other/topic", b"not matched", 0, False),
            ("home", b"parent level matches #", 0, True)):
        pub.publish(topic, payload, qos=qos)
        if matches:
            expected += 1
            sub.wait_messages(expected)
            time.sleep(0.1)  # let the subscriber's acknowledgements go out first
    pub.disconnect()
    sub.disconnect()


@scenario("paho", "subscribe_sys", ALL,
          "SUBSCRIBE to $SYS/# (broker runs with sys_interval 1); SUBACK, the retained "
          "$SYS messages and about 1.5 s of periodic updates, then DISCONNECT")
def paho_sys(ctx):
    sub = Paho(ctx, "paho-sys")
    sub.connect()
    sub.subscribe("$SYS/#", qos=0)
    sub.wait_messages(6)
    time.sleep(1.5)  # also catch the periodic (sys_interval 1) updates
    sub.disconnect()


@scenario("paho", "unsubscribe", ALL,
          "SUBSCRIBE two filters, then one UNSUBSCRIBE with three filters "
          "(one never subscribed) and the UNSUBACK")
def paho_unsubscribe(ctx):
    c = Paho(ctx, "paho-unsub")
    c.connect()
    c.subscribe([("news/#", 1), ("alerts/+", 0)])
    c.unsubscribe(["news/#", "alerts/+", "never/subscribed"])
    c.disconnect()


@scenario("paho", "ping", ALL,
          "keepalive of 1 second and 2.5 seconds of silence: PINGREQ/PINGRESP")
def paho_ping(ctx):
    c = Paho(ctx, "paho-ping")
    c.connect(keepalive=1)
    time.sleep(2.5)
    ctx.proxy.wait_packets(c.client_id, "S", PINGRESP)
    c.disconnect()


@scenario("paho", "will_delivery", ALL,
          "a client with a will loses its connection (the proxy cuts the TCP "
          "connection); the broker publishes the will to a subscriber")
def paho_will_delivery(ctx):
    sub = Paho(ctx, "paho-will-watcher")
    ctx.role(sub.client_id, "subscriber to the will topic")
    sub.connect()
    sub.subscribe("status/#", qos=1)
    c = Paho(ctx, "paho-will-victim")
    ctx.role(c.client_id, "client with a will; connection cut by the proxy")
    c.c.will_set("status/paho-will-victim", b"connection lost", qos=1, retain=False)
    c.connect()
    ctx.proxy.sever(c.client_id)
    c.wait_disconnected()
    sub.wait_messages(1)
    time.sleep(0.2)
    sub.disconnect()


@scenario("paho", "connect_empty_client_id", (4, 5),
          "CONNECT with a zero-length client id (clean session/start); v5 CONNACK "
          "carries an assigned client identifier")
def paho_empty_id(ctx):
    c = Paho(ctx, "")
    c.connect()
    c.disconnect()


# v5 only

@scenario("paho", "publish_properties", (5,),
          "v5 PUBLISH with message expiry, content type, response topic, correlation "
          "data, user properties and payload format indicator; the subscriber "
          "receives them; then a publish using a topic alias")
def paho_publish_props(ctx):
    sub = Paho(ctx, "paho-props-sub")
    ctx.role(sub.client_id, "subscriber")
    sub.connect()
    sub.subscribe("requests/#", qos=1)
    pub = Paho(ctx, "paho-props-pub")
    ctx.role(pub.client_id, "publisher")
    pub.connect()
    props = v5props("PUBLISH", MessageExpiryInterval=300, ContentType="application/json",
                    ResponseTopic="responses/paho-props-pub",
                    CorrelationData=b"\x00\x01req-42",
                    UserProperty=[("trace", "abc123"), ("trace", "second value"),
                                  ("unit", "celsius")],
                    PayloadFormatIndicator=1)
    pub.publish("requests/temperature", b'{"want":"temperature"}', qos=1, properties=props)
    sub.wait_messages(1)
    # topic alias: first publish sets alias 1, second uses an empty topic
    pub.publish("requests/alias", b"first via alias", qos=1,
                properties=v5props("PUBLISH", TopicAlias=1))
    pub.publish("", b"second via alias", qos=1,
                properties=v5props("PUBLISH", TopicAlias=1))
    sub.wait_messages(3)
    time.sleep(0.2)
    pub.disconnect()
    sub.disconnect()


@scenario("paho", "connect_properties", (5,),
          "v5 CONNECT with session expiry, receive maximum, maximum packet size, topic "
          "alias maximum, request problem/response information and user properties; "
          "CONNACK properties from mosquitto")
def paho_connect_props(ctx):
    c = Paho(ctx, "paho-connect-props")
    props = v5props("CONNECT", SessionExpiryInterval=600, ReceiveMaximum=20,
                    MaximumPacketSize=65536, TopicAliasMaximum=8,
                    RequestResponseInformation=1, RequestProblemInformation=1,
                    UserProperty=[("app", "mqtt-wire-capture"), ("build", "1")])
    c.connect(keepalive=30, properties=props, clean_start=True)
    c.disconnect()


@scenario("paho", "subscription_options", (5,),
          "v5 SUBSCRIBE options: no local, retain as published, retain handling 0/1/2, "
          "subscription identifiers; retained and live messages show their effect")
def paho_sub_options(ctx):
    from paho.mqtt.subscribeoptions import SubscribeOptions as SO
    pub = Paho(ctx, "paho-opts-pub")
    ctx.role(pub.client_id, "publisher of retained messages")
    pub.connect()
    for t in ("opts/rap", "opts/rh0", "opts/rh1", "opts/rh2"):
        pub.publish(t, ("retained on " + t).encode(), qos=1, retain=True)
    c = Paho(ctx, "paho-opts-sub")
    ctx.role(c.client_id, "subscriber using subscription options")
    c.connect()
    c.subscribe([("opts/local", SO(qos=1, noLocal=True)),
                 ("opts/rap", SO(qos=1, retainAsPublished=True))],
                properties=v5props("SUBSCRIBE", SubscriptionIdentifier=42))
    c.subscribe([("opts/rh0", SO(qos=2, retainHandling=0)),
                 ("opts/rh1", SO(qos=2, retainHandling=1)),
                 ("opts/rh2", SO(qos=2, retainHandling=2))],
                properties=v5props("SUBSCRIBE", SubscriptionIdentifier=268435455))
    c.wait_messages(3)  # retained rap, rh0, rh1
    # subscribing again: rh=1 does not resend the retained message, rh=0 does
    c.subscribe([("opts/rh0", SO(qos=2, retainHandling=0)),
                 ("opts/rh1", SO(qos=2, retainHandling=1))])
    c.wait_messages(4)
    c.publish("opts/local", b"not echoed back (no local)", qos=1)
    pub.publish("opts/local", b"from another client", qos=1)
    pub.publish("opts/rap", b"live retained publish", qos=1, retain=True)
    c.wait_messages(6)
    time.sleep(0.3)
    if any(m.topic == "opts/local" and m.payload.startswith(b"not echoed") for m in c.messages):
        raise RuntimeError("no local was not honoured")
    c.disconnect()
    pub.disconnect()


@scenario("paho", "disconnect_with_will", (5,),
          "v5 DISCONNECT with reason code 0x04 (disconnect with will message) and "
          "properties; the broker publishes the will to a subscriber")
def paho_disconnect_will(ctx):
    sub = Paho(ctx, "paho-dwill-watcher")
    ctx.role(sub.client_id, "subscriber to the will topic")
    sub.connect()
    sub.subscribe("status/#", qos=2)
    c = Paho(ctx, "paho-dwill-client")
    ctx.role(c.client_id, "client that disconnects with reason 0x04")
    c.c.will_set("status/paho-dwill-client", b"left with will", qos=2, retain=False,
                 properties=v5props("WILLMESSAGE", ContentType="text/plain"))
    c.connect()
    from paho.mqtt.reasoncodes import ReasonCode
    from paho.mqtt.packettypes import PacketTypes
    rc = ReasonCode(PacketTypes.DISCONNECT, "Disconnect with will message")
    c.disconnect(reasoncode=rc,
                 properties=v5props("DISCONNECT", ReasonString="going away on purpose",
                                    UserProperty=[("why", "demo")]))
    sub.wait_messages(1)
    time.sleep(0.2)
    sub.disconnect()


@scenario("paho", "publish_no_subscribers", (5,),
          "v5 PUBLISH QoS 1 and QoS 2 to a topic nobody subscribed: PUBACK/PUBREC "
          "carry reason code 0x10 (no matching subscribers)")
def paho_no_subs(ctx):
    c = Paho(ctx, "paho-nosubs")
    c.connect()
    c.publish("nobody/listens", b"qos1", qos=1)
    c.publish("nobody/listens", b"qos2", qos=2)
    c.disconnect()


RESTRICTED = ("max_keepalive 30", "max_qos 1", "retain_available false",
              "max_packet_size 2000", "max_topic_alias 4", "max_inflight_messages 5")


@scenario("paho", "restricted_broker", ALL,
          "broker limits (max_keepalive 30, max_qos 1, retain_available false, "
          "max_packet_size 2000, max_topic_alias 4): CONNECT asks for keepalive 120; "
          "v5 CONNACK carries the limits, then a retained PUBLISH makes the broker "
          "send DISCONNECT 0x9a; 3.x: a QoS 2 PUBLISH makes the broker close the "
          "connection", broker_conf=RESTRICTED)
def paho_restricted(ctx):
    c = Paho(ctx, "paho-restricted")
    c.connect(keepalive=120)
    if ctx.v5:
        c.subscribe("limits/#", qos=2)
        c.c.publish("limits/retained", b"retain is not available", qos=1, retain=True)
        c.wait_disconnected()
    else:
        # MQTT 3.x has no way to report this: mosquitto just closes the connection
        c.subscribe("limits/#", qos=2)
        c.c.publish("limits/qos2", b"qos 2 is not available", qos=2)
        c.wait_disconnected()


@scenario("paho", "connect_refused_bad_auth_method", (5,),
          "v5 CONNECT with an authentication method mosquitto does not support; "
          "CONNACK 0x8c (bad authentication method)")
def paho_bad_auth_method(ctx):
    c = Paho(ctx, "paho-auth-method")
    c.connect(properties=v5props("CONNECT", AuthenticationMethod="SCRAM-SHA-256",
                                 AuthenticationData=b"n,,n=user,r=abc"),
              expect_refused=True)


@scenario("paho", "session_taken_over", (5,),
          "a second v5 client connects with the same client id; mosquitto 2.0.11 closes "
          "the first connection (no DISCONNECT 0x8e is sent on it)")
def paho_taken_over(ctx):
    a = Paho(ctx, "paho-same-id")
    ctx.role("paho-same-id", "first connection, then the second one (same client id)")
    a.connect()
    b = Paho(ctx, "paho-same-id")
    b.connect()
    a.wait_disconnected()
    b.disconnect()


@scenario("paho", "session_resume", ALL,
          "persistent session: subscribe at QoS 1, go away, a QoS 1 message is queued, "
          "reconnect with clean session/start off and receive it (session present = 1)")
def paho_session_resume(ctx):
    kw = {} if ctx.v5 else {"clean_session": False}
    cprops = v5props("CONNECT", SessionExpiryInterval=300) if ctx.v5 else None
    extra = {"clean_start": False} if ctx.v5 else {}
    c = Paho(ctx, "paho-persistent", **kw)
    ctx.role("paho-persistent", "persistent client (first and second connection)")
    c.connect(properties=cprops, **extra)
    c.subscribe("queue/jobs", qos=1)
    c.disconnect()
    pub = Paho(ctx, "paho-queue-pub")
    ctx.role(pub.client_id, "publisher while the persistent client is offline")
    pub.connect()
    pub.publish("queue/jobs", b"job while offline", qos=1)
    pub.disconnect()
    c2 = Paho(ctx, "paho-persistent", **kw)
    c2.connect(properties=cprops, **extra)
    c2.wait_messages(1)
    time.sleep(0.2)
    if ctx.v5:
        c2.disconnect(properties=v5props("DISCONNECT", SessionExpiryInterval=0))
    else:
        c2.disconnect()


DEMO = {}


@scenario("paho", "demo_session", (5,),
          "the demo session (also written to testdata/demo.hex and demo_server.hex): "
          "CONNECT with will and properties, SUBSCRIBE, PUBLISH QoS 1 with properties "
          "(echoed back to the same client), PINGREQ, DISCONNECT")
def paho_demo(ctx):
    c = Paho(ctx, "mqtt-wire-demo")
    c.c.will_set("demo/status", b"demo client vanished", qos=1, retain=True,
                 properties=v5props("WILLMESSAGE", WillDelayInterval=5,
                                    ContentType="text/plain"))
    c.c.username_pw_set("alice", "secret")
    c.connect(keepalive=2, properties=v5props(
        "CONNECT", SessionExpiryInterval=120, ReceiveMaximum=10,
        UserProperty=[("purpose", "demo")]))
    c.subscribe("demo/#", qos=1)
    c.publish("demo/greeting", b"hello from mqtt-wire", qos=1, properties=v5props(
        "PUBLISH", ContentType="text/plain", PayloadFormatIndicator=1,
        MessageExpiryInterval=60, UserProperty=[("lang", "en")]))
    c.wait_messages(1)
    ctx.proxy.wait_packets(c.client_id, "S", PINGRESP, timeout=6)
    c.disconnect(properties=v5props("DISCONNECT", SessionExpiryInterval=0))
    DEMO["client_id"] = c.client_id


# ---- mosquitto_pub / mosquitto_sub scenarios -------------------------------

@scenario("mosquitto_clients", "connect_will_auth", ALL,
          "mosquitto_pub with username/password and a will (QoS 1, retained; v5 with "
          "will properties) publishing one QoS 1 message")
def cli_connect_will_auth(ctx):
    cli = Cli(ctx)
    extra = []
    if ctx.v5:
        extra = ["-D", "will", "will-delay-interval", "10",
                 "-D", "will", "content-type", "text/plain",
                 "-D", "will", "user-property", "origin", "capture"]
    cli.run("mosquitto_pub", "cli-will-auth", "-u", "alice", "-P", "secret",
            "--will-topic", "status/cli-will-auth", "--will-payload", "offline",
            "--will-qos", "1", "--will-retain", *extra,
            "-t", "test/hello", "-m", "hello", "-q", "1")


@scenario("mosquitto_clients", "connect_refused_bad_password", ALL,
          "mosquitto_pub with a wrong password; refused CONNACK")
def cli_refused_password(ctx):
    cli = Cli(ctx)
    p = cli.run("mosquitto_pub", "cli-bad-password", "-u", "alice", "-P", "wrong-password",
                "-t", "test/x", "-m", "never sent", ok_codes=range(1, 256))
    ctx.proxy.wait_packets("cli-bad-password", "S", CONNACK)


@scenario("mosquitto_clients", "connect_refused_not_authorized", ALL,
          "anonymous mosquitto_pub to a broker with allow_anonymous false; refused CONNACK",
          anonymous=False)
def cli_refused_anonymous(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_pub", "cli-anonymous", "-t", "test/x", "-m", "never sent",
            ok_codes=range(1, 256))
    ctx.proxy.wait_packets("cli-anonymous", "S", CONNACK)


def cli_qos(ctx, qos):
    cli = Cli(ctx)
    sid = "cli-sub-qos%d" % qos
    ctx.role(sid, "mosquitto_sub, QoS 2 subscription, exits after one message")
    sub = cli.start("mosquitto_sub", sid, "-q", "2", "-C", "1", "-t", "test/qos%d" % qos)
    ctx.proxy.wait_packets(sid, "S", SUBACK)
    ctx.role("cli-pub-qos%d" % qos, "mosquitto_pub")
    cli.run("mosquitto_pub", "cli-pub-qos%d" % qos, "-q", str(qos), "-t", "test/qos%d" % qos,
            "-m", "hello at qos %d" % qos)
    cli.finish(sub)


@scenario("mosquitto_clients", "publish_qos0", ALL, "mosquitto_pub QoS 0 to mosquitto_sub")
def cli_qos0(ctx):
    cli_qos(ctx, 0)


@scenario("mosquitto_clients", "publish_qos1", ALL,
          "mosquitto_pub QoS 1 to mosquitto_sub, PUBACK on both legs")
def cli_qos1(ctx):
    cli_qos(ctx, 1)


@scenario("mosquitto_clients", "publish_qos2", ALL,
          "mosquitto_pub QoS 2 to mosquitto_sub, PUBREC/PUBREL/PUBCOMP on both legs")
def cli_qos2(ctx):
    cli_qos(ctx, 2)


@scenario("mosquitto_clients", "retained", ALL,
          "mosquitto_pub -r, then mosquitto_sub receives the retained message; "
          "mosquitto_pub -r -n clears it; a last mosquitto_sub gets nothing")
def cli_retained(ctx):
    cli = Cli(ctx)
    ctx.role("cli-retain-pub", "mosquitto_pub -r")
    cli.run("mosquitto_pub", "cli-retain-pub", "-r", "-q", "1", "-t", "config/colour", "-m", "blue")
    ctx.role("cli-retain-sub1", "mosquitto_sub -C 1 (gets the retained message)")
    cli.run("mosquitto_sub", "cli-retain-sub1", "-q", "1", "-C", "1", "-t", "config/#")
    ctx.role("cli-retain-clear", "mosquitto_pub -r -n (clears the retained message)")
    cli.run("mosquitto_pub", "cli-retain-clear", "-r", "-n", "-q", "1", "-t", "config/colour")
    ctx.role("cli-retain-sub2", "mosquitto_sub -W 1 (nothing retained any more, times out)")
    cli.run("mosquitto_sub", "cli-retain-sub2", "-q", "1", "-W", "1", "-t", "config/#",
            ok_codes=range(0, 256))
    if ctx.proxy.count("cli-retain-sub2", "S", PUB):
        raise RuntimeError("retained message not cleared")


@scenario("mosquitto_clients", "subscribe_wildcards", ALL,
          "mosquitto_sub with three -t filters (one SUBSCRIBE, + and # wildcards); "
          "several mosquitto_pub runs to matching and non-matching topics")
def cli_wildcards(ctx):
    cli = Cli(ctx)
    ctx.role("cli-wild-sub", "mosquitto_sub with three filters, exits after 3 messages")
    sub = cli.start("mosquitto_sub", "cli-wild-sub", "-q", "1", "-C", "3", "-v",
                    "-t", "sensors/+/temperature", "-t", "home/#", "-t", "+/status")
    ctx.proxy.wait_packets("cli-wild-sub", "S", SUBACK)
    for i, (topic, msg, qos) in enumerate([("other/topic", "not matched", "0"),
                                           ("sensors/kitchen/temperature", "21.5", "1"),
                                           ("home/livingroom/light", "on", "1"),
                                           ("device/status", "ok", "2")]):
        cid = "cli-wild-pub%d" % (i + 1)
        ctx.role(cid, "mosquitto_pub to %s" % topic)
        cli.run("mosquitto_pub", cid, "-q", qos, "-t", topic, "-m", msg)
    cli.finish(sub)


@scenario("mosquitto_clients", "subscribe_sys", ALL,
          "mosquitto_sub -t '$SYS/#' -W 2 (broker runs with sys_interval 1): SUBACK, "
          "the retained $SYS messages and periodic updates until the -W timeout")
def cli_sys(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_sub", "cli-sys", "-W", "2", "-v", "-t", "$SYS/#", ok_codes=range(0, 256))
    if ctx.proxy.count("cli-sys", "S", PUB) < 6:
        raise RuntimeError("too few $SYS messages")


@scenario("mosquitto_clients", "unsubscribe", ALL,
          "mosquitto_sub with two -t filters and three -U filters (one never "
          "subscribed): SUBSCRIBE, UNSUBSCRIBE, UNSUBACK; exits on the -W timeout")
def cli_unsubscribe(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_sub", "cli-unsub", "-q", "1", "-W", "1",
            "-t", "news/#", "-t", "alerts/+",
            "-U", "news/#", "-U", "alerts/+", "-U", "never/subscribed",
            ok_codes=range(0, 256))
    if not ctx.proxy.count("cli-unsub", "S", UNSUBACK):
        raise RuntimeError("no UNSUBACK")


@scenario("mosquitto_clients", "ping", ALL,
          "mosquitto_sub -k 5 (the minimum it accepts) and -W 7: PINGREQ/PINGRESP")
def cli_ping(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_sub", "cli-ping", "-k", "5", "-W", "7", "-t", "quiet/topic",
            ok_codes=range(0, 256))
    if not ctx.proxy.count("cli-ping", "S", PINGRESP):
        raise RuntimeError("no PINGRESP")


@scenario("mosquitto_clients", "will_delivery", ALL,
          "mosquitto_sub with a will is killed (SIGKILL, no DISCONNECT); "
          "the broker delivers the will to another mosquitto_sub")
def cli_will_delivery(ctx):
    cli = Cli(ctx)
    ctx.role("cli-will-watcher", "mosquitto_sub on the will topic, exits after one message")
    watcher = cli.start("mosquitto_sub", "cli-will-watcher", "-q", "1", "-C", "1", "-v",
                        "-t", "status/#")
    ctx.proxy.wait_packets("cli-will-watcher", "S", SUBACK)
    ctx.role("cli-will-victim", "mosquitto_sub with a will; killed with SIGKILL")
    victim = cli.start("mosquitto_sub", "cli-will-victim", "-t", "unused/topic",
                       "--will-topic", "status/cli-will-victim",
                       "--will-payload", "connection lost", "--will-qos", "1")
    ctx.proxy.wait_packets("cli-will-victim", "S", SUBACK)
    victim.kill()  # a crash: the socket closes without an MQTT DISCONNECT
    cli.finish(victim, ok_codes=(-9,))
    cli.finish(watcher)


# v5 only

@scenario("mosquitto_clients", "publish_properties", (5,),
          "mosquitto_pub -D publish ... with message expiry, content type, response "
          "topic, correlation data, user properties, payload format indicator; "
          "mosquitto_sub receives them")
def cli_publish_props(ctx):
    cli = Cli(ctx)
    ctx.role("cli-props-sub", "mosquitto_sub")
    sub = cli.start("mosquitto_sub", "cli-props-sub", "-q", "1", "-C", "1", "-v",
                    "-t", "requests/#")
    ctx.proxy.wait_packets("cli-props-sub", "S", SUBACK)
    ctx.role("cli-props-pub", "mosquitto_pub with publish properties")
    cli.run("mosquitto_pub", "cli-props-pub", "-q", "1", "-t", "requests/temperature",
            "-m", '{"want":"temperature"}',
            "-D", "publish", "message-expiry-interval", "300",
            "-D", "publish", "content-type", "application/json",
            "-D", "publish", "response-topic", "responses/cli-props-pub",
            "-D", "publish", "correlation-data", "req-42",
            "-D", "publish", "user-property", "trace", "abc123",
            "-D", "publish", "user-property", "unit", "celsius",
            "-D", "publish", "payload-format-indicator", "1")
    cli.finish(sub)


@scenario("mosquitto_clients", "connect_properties", (5,),
          "mosquitto_sub -D connect ... with session expiry, receive maximum, maximum "
          "packet size, topic alias maximum, user property; subscription identifier "
          "and user property on SUBSCRIBE; properties on UNSUBSCRIBE and DISCONNECT")
def cli_connect_props(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_sub", "cli-connect-props", "-E", "-q", "1", "-t", "props/topic",
            "-D", "connect", "session-expiry-interval", "600",
            "-D", "connect", "receive-maximum", "20",
            "-D", "connect", "maximum-packet-size", "65536",
            "-D", "connect", "topic-alias-maximum", "8",
            "-D", "connect", "user-property", "app", "mqtt-wire-capture",
            "-D", "subscribe", "subscription-identifier", "17",
            "-D", "subscribe", "user-property", "k", "v",
            "-D", "disconnect", "session-expiry-interval", "0",
            "-D", "disconnect", "reason-string", "done")


@scenario("mosquitto_clients", "subscription_options", (5,),
          "mosquitto_sub --retain-as-published with a subscription identifier; a "
          "retained message arrives with its subscription identifier")
def cli_sub_options(ctx):
    cli = Cli(ctx)
    ctx.role("cli-opts-pub", "mosquitto_pub -r")
    cli.run("mosquitto_pub", "cli-opts-pub", "-r", "-q", "1", "-t", "opts/rap", "-m", "kept")
    ctx.role("cli-opts-sub", "mosquitto_sub --retain-as-published")
    sub = cli.start("mosquitto_sub", "cli-opts-sub", "-q", "2", "-C", "2", "-v",
                    "--retain-as-published", "-t", "opts/#",
                    "-D", "subscribe", "subscription-identifier", "99")
    ctx.proxy.wait_packets("cli-opts-sub", "S", PUB)
    ctx.role("cli-opts-pub2", "mosquitto_pub -r (live retained message, then cleared)")
    cli.run("mosquitto_pub", "cli-opts-pub2", "-r", "-q", "2", "-t", "opts/rap", "-m", "live")
    cli.finish(sub)


@scenario("mosquitto_clients", "disconnect_properties", (5,),
          "mosquitto_pub -D disconnect ... : DISCONNECT with reason string and user "
          "property; unsubscribe properties on mosquitto_sub -U")
def cli_disconnect_props(ctx):
    cli = Cli(ctx)
    ctx.role("cli-disc-pub", "mosquitto_pub with DISCONNECT properties")
    cli.run("mosquitto_pub", "cli-disc-pub", "-q", "0", "-t", "test/bye", "-m", "bye",
            "-D", "disconnect", "reason-string", "finished publishing",
            "-D", "disconnect", "user-property", "who", "mosquitto_pub")
    ctx.role("cli-disc-unsub", "mosquitto_sub -U with UNSUBSCRIBE user property")
    cli.run("mosquitto_sub", "cli-disc-unsub", "-W", "1", "-t", "a/b", "-U", "a/b",
            "-D", "unsubscribe", "user-property", "reason", "demo",
            ok_codes=range(0, 256))
    if not ctx.proxy.count("cli-disc-unsub", "S", UNSUBACK):
        raise RuntimeError("no UNSUBACK")


@scenario("mosquitto_clients", "connect_refused_bad_auth_method", (5,),
          "mosquitto_pub -D connect authentication-method ...: CONNACK 0x8c")
def cli_bad_auth_method(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_pub", "cli-auth-method", "-t", "x", "-m", "never sent",
            "-D", "connect", "authentication-method", "SCRAM-SHA-256",
            ok_codes=range(1, 256))
    ctx.proxy.wait_packets("cli-auth-method", "S", CONNACK)


@scenario("mosquitto_clients", "publish_no_subscribers", (5,),
          "mosquitto_pub QoS 1 and QoS 2 to a topic without subscribers: reason "
          "code 0x10 in PUBACK/PUBREC")
def cli_no_subs(ctx):
    cli = Cli(ctx)
    cli.run("mosquitto_pub", "cli-nosubs-q1", "-q", "1", "-t", "nobody/listens", "-m", "qos1")
    cli.run("mosquitto_pub", "cli-nosubs-q2", "-q", "2", "-t", "nobody/listens", "-m", "qos2")


# ---------------------------------------------------------------------------
# Running and writing
# ---------------------------------------------------------------------------

def tool_versions():
    v = {}
    try:
        out = subprocess.run([find_mosquitto(), "-h"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=10).stdout.decode()
        v["mosquitto"] = out.splitlines()[0].strip()
    except Exception as e:  # pragma: no cover
        v["mosquitto"] = "unknown (%s)" % e
    try:
        out = subprocess.run(["mosquitto_pub", "--help"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=10).stdout.decode()
        v["mosquitto_clients"] = "mosquitto_pub/mosquitto_sub " + re.search(
            r"version (\S+ running on libmosquitto \S+?)\.?$", out, re.M).group(1)
    except Exception as e:  # pragma: no cover
        v["mosquitto_clients"] = "unknown (%s)" % e
    try:
        import paho.mqtt
        v["paho"] = "paho-mqtt %s (Python %s)" % (paho.mqtt.__version__, platform.python_version())
    except Exception as e:  # pragma: no cover
        v["paho"] = "unavailable (%s)" % e
    return v


def relpath(sc):
    return os.path.join(VERSION_DIRS[sc["level"]], "%s_%s.txt" % (sc["client"], sc["name"]))


def run_scenario(sc, versions, today):
    broker = Broker(allow_anonymous=sc["anonymous"], extra_conf=sc["broker_conf"]).start()
    proxy = Proxy(broker.port)
    ctx = Ctx(sc["level"], proxy.port, proxy)
    error = None
    try:
        sc["fn"](ctx)
    except Exception as e:
        error = "%s: %s" % (type(e).__name__, e)
        if os.environ.get("CAPTURE_DEBUG"):
            traceback.print_exc()
    finally:
        proxy.close()
        broker.cleanup()
    if error:
        return sc, error, None
    lines = [
        "# mqtt-wire packet capture: %s" % relpath(sc).replace(os.sep, "/"),
        "# scenario: %s" % sc["description"],
        "# protocol: MQTT %s (protocol level %d)" % (
            {3: "3.1", 4: "3.1.1", 5: "5.0"}[sc["level"]], sc["level"]),
        "# broker: %s" % versions["mosquitto"],
        "# client: %s" % (versions["paho"] if sc["client"] == "paho"
                          else versions["mosquitto_clients"]),
        "# captured: %s with testdata/capture.py (logging proxy on 127.0.0.1)" % today,
        "# format: <dir> <level> <hex>  (C = client->server, S = server->client); see README.md",
    ]
    for line in sc["broker_conf"]:
        lines.append("# broker config: %s" % line)
    for cmd in ctx.commands:
        lines.append("# command: %s" % cmd)
    for conn in proxy.conns:
        if not conn.records:
            continue
        if conn.level is None:
            return sc, "connection %d has no CONNECT" % conn.index, None
        role = ctx.roles.get(conn.client_id)
        lines.append("#")
        lines.append("# connection %d: client_id=%s%s" % (
            conn.index, show(conn.client_id or ""), (" -- " + role) if role else ""))
        for d, p in conn.records:
            lines.append("%s %d %s  # %s" % (d, conn.level, p.hex(), describe(p, conn.level)))
        for d, rest in sorted(conn.leftover.items()):
            if rest:
                lines.append("# (%s stream ended with %d bytes of an incomplete packet: %s)"
                             % (d, len(rest), rest.hex()))
    return sc, None, dict(lines=lines, proxy=proxy)


def write_demo(result, today, versions):
    proxy = result["proxy"]
    conn = proxy.find(DEMO["client_id"])
    for d, fname, title in (("C", "demo.hex", "client -> server"),
                            ("S", "demo_server.hex", "server -> client")):
        out = [
            "# mqtt-wire demo: raw %s byte stream of one MQTT 5.0 session" % title,
            "# (same session as v5/paho_demo_session.txt; one packet per line)",
            "# broker: %s" % versions["mosquitto"],
            "# client: %s" % versions["paho"],
            "# captured: %s with testdata/capture.py" % today,
            "# '#' starts a comment line; whitespace between bytes is insignificant.",
        ]
        for dd, p in conn.records:
            if dd == d:
                out.append("# " + describe(p, 5))
                out.append(p.hex())
        with open(os.path.join(HERE, fname), "w") as f:
            f.write("\n".join(out) + "\n")


def capture(only):
    versions = tool_versions()
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    selected = [sc for sc in SCENARIOS if not only or any(o in relpath(sc) for o in only)]
    if not only:
        for d in VERSION_DIRS.values():
            full = os.path.join(HERE, d)
            if os.path.isdir(full):
                for fn in os.listdir(full):
                    if fn.endswith(".txt"):
                        os.remove(os.path.join(full, fn))
    for d in VERSION_DIRS.values():
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
    start = time.time()
    failures = []
    written = []
    # each scenario owns its broker and proxy, so they can run side by side
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(run_scenario, sc, versions, today) for sc in selected]
        for fut in concurrent.futures.as_completed(futures, timeout=110):
            sc, error, result = fut.result()
            path = relpath(sc)
            if error:
                failures.append((path, error))
                print("DROPPED %-55s %s" % (path, error))
                continue
            with open(os.path.join(HERE, path), "w") as f:
                f.write("\n".join(result["lines"]) + "\n")
            written.append(path)
            print("wrote   %s" % path)
            if sc["name"] == "demo_session":
                write_demo(result, today, versions)
                print("wrote   demo.hex, demo_server.hex")
    print("%d files written, %d scenarios dropped, %.1f s" % (
        len(written), len(failures), time.time() - start))
    return failures


# ---------------------------------------------------------------------------
# Independent checker (--check).  It deliberately does not reuse the
# splitting code above.
# ---------------------------------------------------------------------------

LINE_RE = re.compile(r"^([CS]) ([345]) ([0-9a-f]+)(?:  # .*)?$")


def check_packet(pkt):
    """Return an error string, or None if the fixed header length is exact."""
    if len(pkt) < 2:
        return "packet shorter than 2 bytes"
    ptype = pkt[0] >> 4
    if ptype == 0:
        return "reserved packet type 0"
    value, mult, i = 0, 1, 1
    while True:
        if i >= len(pkt) or i > 4:
            return "bad remaining length encoding"
        b = pkt[i]
        value += (b & 127) * mult
        mult *= 128
        i += 1
        if b < 128:
            break
    if i - 1 > 1 and pkt[i - 1] == 0:
        return "remaining length not minimally encoded"
    if i + value != len(pkt):
        return "remaining length %d but %d bytes follow the fixed header" % (value, len(pkt) - i)
    return None


def connect_level(pkt):
    i = 1
    while pkt[i] & 0x80:
        i += 1
    i += 1
    n = (pkt[i] << 8) | pkt[i + 1]
    name = pkt[i + 2:i + 2 + n].decode("ascii")
    level = pkt[i + 2 + n]
    expected = {"MQIsdp": 3, "MQTT": None}[name]
    if expected is not None and level != expected:
        raise ValueError("MQIsdp with level %d" % level)
    return level


def check_file(path, expected_level):
    errors = []
    count = 0
    current = None  # level of the most recent CONNECT
    with open(path) as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            m = LINE_RE.match(line)
            if not m:
                errors.append("%s:%d: malformed line" % (path, no))
                continue
            d, level, hx = m.group(1), int(m.group(2)), m.group(3)
            if len(hx) % 2:
                errors.append("%s:%d: odd number of hex digits" % (path, no))
                continue
            pkt = bytes.fromhex(hx)
            err = check_packet(pkt)
            if err:
                errors.append("%s:%d: %s" % (path, no, err))
                continue
            count += 1
            if expected_level is not None and level != expected_level:
                errors.append("%s:%d: level %d in directory for level %d" % (
                    path, no, level, expected_level))
            if pkt[0] >> 4 == 1:
                if d != "C":
                    errors.append("%s:%d: CONNECT from the server" % (path, no))
                try:
                    current = connect_level(pkt)
                except Exception as e:
                    errors.append("%s:%d: bad CONNECT (%s)" % (path, no, e))
                    continue
                if pkt[0] & 0x0F:
                    errors.append("%s:%d: CONNECT flags nibble not 0" % (path, no))
            if current is None:
                errors.append("%s:%d: packet before any CONNECT" % (path, no))
            elif level != current:
                errors.append("%s:%d: level %d but CONNECT says %d" % (path, no, level, current))
    if count == 0:
        errors.append("%s: no packets" % path)
    return count, errors


def check_stream(path):
    errors = []
    with open(path) as f:
        text = "".join(l for l in f if not l.lstrip().startswith("#"))
    hx = "".join(text.split())
    if not re.fullmatch(r"[0-9a-f]*", hx) or len(hx) % 2:
        return 0, ["%s: not an even-length lowercase hex stream" % path]
    data = bytes.fromhex(hx)
    pos, count = 0, 0
    while pos < len(data):
        i, value, shift = pos + 1, 0, 0
        while i < len(data) and data[i] & 0x80 and i - pos < 4:
            value |= (data[i] & 0x7F) << shift
            shift += 7
            i += 1
        if i >= len(data):
            return count, errors + ["%s: truncated fixed header at byte %d" % (path, pos)]
        value |= data[i] << shift
        end = i + 1 + value
        if end > len(data):
            return count, errors + ["%s: truncated packet at byte %d" % (path, pos)]
        err = check_packet(data[pos:end])
        if err:
            errors.append("%s: byte %d: %s" % (path, pos, err))
        if count == 0 and path.endswith("demo.hex"):
            if data[pos] >> 4 != 1 or connect_level(data[pos:end]) != 5:
                errors.append("%s: first packet is not a v5 CONNECT" % path)
        count += 1
        pos = end
    if count == 0:
        errors.append("%s: no packets" % path)
    return count, errors


def check():
    errors = []
    nfiles = npackets = 0
    for level, d in sorted(VERSION_DIRS.items()):
        full = os.path.join(HERE, d)
        if not os.path.isdir(full):
            errors.append("missing directory %s" % d)
            continue
        for fn in sorted(os.listdir(full)):
            if not fn.endswith(".txt"):
                errors.append("unexpected file %s/%s" % (d, fn))
                continue
            n, errs = check_file(os.path.join(full, fn), level)
            nfiles += 1
            npackets += n
            errors += errs
    for fn in ("demo.hex", "demo_server.hex"):
        p = os.path.join(HERE, fn)
        if os.path.exists(p):
            n, errs = check_stream(p)
            nfiles += 1
            npackets += n
            errors += errs
        else:
            errors.append("missing %s" % fn)
    for e in errors:
        print("ERROR", e)
    print("checked %d files, %d packets, %d errors" % (nfiles, npackets, len(errors)))
    return not errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only verify the capture files")
    ap.add_argument("--only", action="append", default=[],
                    help="only run scenarios whose output path contains this text")
    args = ap.parse_args()
    if args.check:
        sys.exit(0 if check() else 1)
    capture(args.only)
    sys.exit(0 if check() else 1)


if __name__ == "__main__":
    main()
