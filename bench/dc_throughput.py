#!/usr/bin/python3
# rtcpeer benchmark: reliable ordered data channel throughput on loopback,
# rtcpeerbin and webrtcbin side by side in one run.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 bench/dc_throughput.py [MiB] [rounds]
#
# For each factory: two peers in one process, one reliable ordered
# channel, MiB of 64 KiB binary messages sent as fast as buffered-amount
# allows (kept under 4 MiB, as a well-behaved sender does), timed from the
# first send to the last byte received. Prints MiB/s per round, the median
# per factory and the rtcpeerbin/webrtcbin ratio. Only 127.0.0.1 candidates
# are exchanged.
#
# Loopback carries large datagrams. Two rtcpeerbins announce to each other
# that they take SCTP packets of one full DTLS record
# (a=x-rtcpeer-sctp-max-packet), and path MTU discovery (RFC 8899,
# docs/element.md) finds within a millisecond that loopback carries them;
# webrtcbin stays at its fixed 1200-byte packets. Towards a peer that does
# not announce it (a browser, webrtcbin) or on a 1500-byte Ethernet path,
# rtcpeerbin stops at 1384-byte packets, where it measured about 2x
# webrtcbin.

import os
import statistics
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("Nice", "0.1")
from gi.repository import GLib, Gst, GstWebRTC, Nice  # noqa: E402

CHUNK = 64 * 1024
# webrtcbin 1.22 hands out its ICE agent without a reference of its own
# for the caller; keeping the wrappers alive keeps the agents alive.
_keep = []
HIGH_WATER = 4 * 1024 * 1024


def run_promise(pc, signal, *args, field=None):
    p = Gst.Promise.new()
    pc.emit(signal, *args, p)
    p.wait()
    reply = p.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error')}")
    return reply.get_value(field).copy() if field else None


def one_round(factory, mib):
    pipeline = Gst.Pipeline.new()
    pcs = [Gst.ElementFactory.make(factory) for _ in range(2)]
    for pc in pcs:
        if pc.find_property("ice-addresses"):
            pc.set_property("ice-addresses", "127.0.0.1")
        else:
            # webrtcbin gathers on every interface but loopback: give its
            # libnice agent 127.0.0.1 only.
            ice = pc.get_property("ice-agent")
            agent = ice.get_property("agent")
            _keep.extend([ice, agent])
            addr = Nice.Address.new()
            addr.set_from_string("127.0.0.1")
            agent.add_local_address(addr)
        pipeline.add(pc)

    def forward(pc, mline, cand, other):
        if " 127.0.0.1 " in cand and " UDP " in cand.upper():
            other.emit("add-ice-candidate", mline, cand)

    pcs[0].connect("on-ice-candidate", forward, pcs[1])
    pcs[1].connect("on-ice-candidate", forward, pcs[0])

    total = mib * 1024 * 1024
    state = {"received": 0, "open": threading.Event(),
             "done": threading.Event(), "low": threading.Condition()}

    def on_remote(pc, channel):
        def on_data(ch, data):
            state["received"] += data.get_size()
            if state["received"] >= total:
                state["done"].set()
        channel.connect("on-message-data", on_data)

    pcs[1].connect("on-data-channel", on_remote)
    pipeline.set_state(Gst.State.READY)
    channel = pcs[0].emit("create-data-channel", "bench", None)
    channel.connect("on-open", lambda ch: state["open"].set())
    channel.set_property("buffered-amount-low-threshold", HIGH_WATER // 2)

    def on_low(ch):
        with state["low"]:
            state["low"].notify_all()

    channel.connect("on-buffered-amount-low", on_low)
    pipeline.set_state(Gst.State.PLAYING)

    offer = run_promise(pcs[0], "create-offer", None, field="offer")
    run_promise(pcs[0], "set-local-description", offer)
    run_promise(pcs[1], "set-remote-description", offer)
    answer = run_promise(pcs[1], "create-answer", None, field="answer")
    run_promise(pcs[1], "set-local-description", answer)
    run_promise(pcs[0], "set-remote-description", answer)
    if not state["open"].wait(30):
        raise RuntimeError(f"{factory}: the channel did not open")

    payload = GLib.Bytes.new(bytes(CHUNK))
    start = time.monotonic()
    sent = 0
    while sent < total:
        with state["low"]:
            while channel.get_property("buffered-amount") > HIGH_WATER:
                state["low"].wait(1)
        channel.emit("send-data", payload)
        sent += CHUNK
    if not state["done"].wait(300):
        raise RuntimeError(f"{factory}: only {state['received']} bytes")
    elapsed = time.monotonic() - start
    pipeline.set_state(Gst.State.NULL)
    return mib / elapsed


def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    Gst.init(None)
    results = {}
    for factory in ("rtcpeerbin", "webrtcbin"):
        if not Gst.ElementFactory.find(factory):
            print(f"{factory} not found (GST_PLUGIN_PATH?)")
            return 1
        results[factory] = []
    # Interleaved, so both see the same machine conditions.
    for r in range(rounds):
        for factory in results:
            rate = one_round(factory, mib)
            results[factory].append(rate)
            print(f"round {r + 1}: {factory:10s} {rate:8.1f} MiB/s", flush=True)
    med = {f: statistics.median(v) for f, v in results.items()}
    for f, m in med.items():
        print(f"median {f:10s} {m:8.1f} MiB/s")
    print(f"ratio rtcpeerbin/webrtcbin: {med['rtcpeerbin'] / med['webrtcbin']:.2f}")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: the wrappers kept in _keep would release
    # webrtcbin objects that webrtcbin already freed.
    os._exit(code)
