#!/usr/bin/python3
# rtcpeer example: a real call between two rtcpeerbins in one process.
#
# Each side sends VP8 video and Opus audio and decodes what it receives.
# The script does the signalling itself (offer/answer and trickle ICE on
# loopback), prints every state change, the selected ICE candidate pair and
# the decoded-frame counters, and exits 0 when media flowed both ways.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/two_peers.py [seconds]
#
# Change FACTORY to "webrtcbin" and the same script runs on GStreamer's own
# element: the API is the same (ice-addresses is rtcpeerbin's only extra).

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402

FACTORY = "rtcpeerbin"
VIDEO = ("videotestsrc is-live=true pattern=ball ! "
         "video/x-raw,width=320,height=240,framerate=30/1 ! "
         "vp8enc deadline=1 cpu-used=8 ! rtpvp8pay pt=96 ! queue")
AUDIO = ("audiotestsrc is-live=true wave=sine ! opusenc ! "
         "rtpopuspay pt=111 ! queue")


class Peer:
    def __init__(self, name, pipeline):
        self.name = name
        self.pc = Gst.ElementFactory.make(FACTORY, name)
        self.pc.set_property("ice-addresses", "127.0.0.1")
        self.frames = {"video": 0, "audio": 0}
        self.other = None
        pipeline.add(self.pc)
        for prop in ("signaling-state", "ice-connection-state",
                     "connection-state"):
            self.pc.connect("notify::" + prop, self.on_state, prop)
        self.pc.connect("on-ice-candidate", self.on_ice_candidate)
        self.pc.connect("pad-added", self.on_pad_added, pipeline)
        for desc in (VIDEO, AUDIO):
            src = Gst.parse_bin_from_description(desc, True)
            pipeline.add(src)
            src.link(self.pc)  # requests sink_%u

    def on_state(self, pc, pspec, prop):
        print(f"{self.name}: {prop} -> {pc.get_property(prop).value_nick}")

    def on_ice_candidate(self, pc, mline, candidate):
        self.other.pc.emit("add-ice-candidate", mline, candidate)

    def on_pad_added(self, pc, pad, pipeline):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        decodebin = Gst.ElementFactory.make("decodebin")
        decodebin.connect("pad-added", self.on_decoded, pipeline)
        pipeline.add(decodebin)
        decodebin.sync_state_with_parent()
        pad.link(decodebin.get_static_pad("sink"))

    def on_decoded(self, decodebin, pad, pipeline):
        kind = pad.get_current_caps().get_structure(0).get_name()[:5]
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

        def count(pad, info):
            self.frames[kind] += 1
            return Gst.PadProbeReturn.OK

        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, count)


def call(pc, signal, *args, field=None):
    """Runs an action signal that answers a promise and waits for it.

    The reply belongs to the promise, so what is kept of it is copied
    before the promise goes away."""
    promise = Gst.Promise.new()
    pc.emit(signal, *args, promise)
    promise.wait()
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error')}")
    if field:
        return reply.get_value(field).copy()
    return reply.copy() if reply is not None else None


def negotiate(offerer, answerer):
    offer = call(offerer.pc, "create-offer", None, field="offer")
    call(offerer.pc, "set-local-description", offer)
    call(answerer.pc, "set-remote-description", offer)
    answer = call(answerer.pc, "create-answer", None, field="answer")
    call(answerer.pc, "set-local-description", answer)
    call(offerer.pc, "set-remote-description", answer)
    print("negotiated:", offer.sdp.medias_len(), "m-lines")


def wait_for_caps(peers, timeout_s):
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + timeout_s * 1000000
    pads = [pad for p in peers for pad in p.pc.sinkpads]
    # notify::caps wakes the context up; this tick bounds each wait
    tick = GLib.timeout_add(100, lambda: True)
    try:
        while not all(pad.get_current_caps() for pad in pads):
            if GLib.get_monotonic_time() > deadline:
                return False
            context.iteration(True)
    finally:
        GLib.source_remove(tick)
    return True


def selected_pair(peer):
    stats = call(peer.pc, "get-stats", None)
    pairs = []

    def visit(field, value):
        if isinstance(value, Gst.Structure) and value.get_value("type") == \
                GstWebRTC.WebRTCStatsType.CANDIDATE_PAIR:
            pairs.append(f"{value.get_string('local-candidate')} <-> "
                         f"{value.get_string('remote-candidate')}")
        return True

    stats.foreach(visit)
    return pairs


def main():
    sys.stdout.reconfigure(line_buffering=True)
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    Gst.init(None)
    if not Gst.ElementFactory.find(FACTORY):
        print(f"{FACTORY} not found: set GST_PLUGIN_PATH to build/gst/rtcpeer")
        return 1
    pipeline = Gst.Pipeline.new()
    a, b = Peer("alice", pipeline), Peer("bob", pipeline)
    for p in (a, b):
        for pad in p.pc.sinkpads:
            # an idle wake-up for wait_for_caps when caps arrive
            pad.connect("notify::caps",
                        lambda *args: GLib.idle_add(lambda: False))
    a.other, b.other = b, a
    pipeline.set_state(Gst.State.PLAYING)
    # The payloaders' caps tell the transceivers their codecs: offer once
    # they have reached every sink pad, so one offer carries both tracks.
    if not wait_for_caps([a, b], timeout_s=10):
        print("the encoders produced no caps in 10 s")
        return 1
    negotiate(a, b)

    loop = GLib.MainLoop()
    elapsed = [0]

    def tick():
        elapsed[0] += 1
        for p in (a, b):
            print(f"{p.name}: received {p.frames['video']} video frames, "
                  f"{p.frames['audio']} audio buffers")
        if elapsed[0] == 2:
            for p in (a, b):
                for pair in selected_pair(p):
                    print(f"{p.name}: selected candidate pair {pair}")
        if elapsed[0] >= seconds:
            loop.quit()
            return False
        return True

    def on_message(bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            print("error:", err.message, dbg)
            loop.quit()

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)
    GLib.timeout_add_seconds(1, tick)
    loop.run()
    pipeline.set_state(Gst.State.NULL)

    ok = all(p.frames["video"] > 0 and p.frames["audio"] > 0 for p in (a, b))
    print("call", "worked: media flowed both ways" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
