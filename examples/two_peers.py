#!/usr/bin/python3
# rtcpeer example: a real call between two rtcpeerbins in one process.
#
# Each side sends VP8 video (320x240) and Opus audio and decodes what it
# receives. The script does the signalling itself (offer/answer and trickle
# ICE on loopback), prints every state change, each received track (its
# kind, mid, stream and codec), the selected ICE candidate pairs and the
# decoded-frame counters. It exits 0 when each side received one video and
# one audio track, decoded them into what the other side sent (320x240
# video, audio samples) and counted frames of both; 1 otherwise, saying
# what was missing.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/two_peers.py [seconds]
#
# seconds: how long the call lasts (default 5). Or, in a shell opened by
# `meson devenv -C build`, leave GST_PLUGIN_PATH out.
# Needs python3-gi, gir1.2-gstreamer-1.0 and gir1.2-gst-plugins-bad-1.0,
# plus GStreamer's base/good plugins (videotestsrc, vp8enc, opusenc, ...).
# Set FACTORY to "webrtcbin" and the same code runs on GStreamer's element:
# only ice-addresses and on-add-stream are rtcpeerbin's own (webrtcbin
# gathers host candidates on every interface).

import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, GObject, Gst, GstWebRTC  # noqa: E402

FACTORY = "rtcpeerbin"
VIDEO = ("videotestsrc is-live=true pattern=ball ! "
         "video/x-raw,width=320,height=240,framerate=30/1 ! "
         "vp8enc deadline=1 cpu-used=8 ! rtpvp8pay pt=96 ! queue")
AUDIO = ("audiotestsrc is-live=true wave=sine ! opusenc ! "
         "rtpopuspay pt=111 ! queue")
# What each side must receive: RTP encoding-name per kind.
ENCODINGS = {"video": "VP8", "audio": "OPUS"}
MIN_FRAMES = 10


def log(text):
    """print() for handlers on the elements' threads: one write per line,
    so lines printed at the same time do not run into each other."""
    sys.stdout.write(text + "\n")


def make_pc(name):
    """A peer connection element, on loopback only."""
    pc = Gst.ElementFactory.make(FACTORY, name)
    if pc is None:
        raise RuntimeError(f"no {FACTORY} element: set GST_PLUGIN_PATH to "
                           "the directory of libgstrtcpeer.so")
    if pc.find_property("ice-addresses"):   # rtcpeerbin's own property
        pc.set_property("ice-addresses", "127.0.0.1")
    return pc


class Peer:
    def __init__(self, name, pipeline):
        self.name = name
        self.pc = make_pc(name)
        self.frames = {"video": 0, "audio": 0}
        self.tracks = []        # (kind, RTP encoding-name) of each track
        self.decoded = {}       # kind -> the decoded caps
        self.streams = None     # msids announced by on-add-stream
        self.problems = []
        self.other = None
        pipeline.add(self.pc)
        for prop in ("signaling-state", "ice-connection-state",
                     "connection-state"):
            self.pc.connect("notify::" + prop, self.on_state, prop)
        self.pc.connect("on-ice-candidate", self.on_ice_candidate)
        self.pc.connect("pad-added", self.on_pad_added, pipeline)
        if GObject.signal_lookup("on-add-stream", self.pc.__gtype__):
            # rtcpeerbin's own: once per remote MediaStream (msid),
            # before the pad-added of its first track.
            self.streams = []
            self.pc.connect("on-add-stream", self.on_add_stream)
        for desc in (VIDEO, AUDIO):
            src = Gst.parse_bin_from_description(desc, True)
            pipeline.add(src)
            src.link(self.pc)  # requests sink_%u

    def on_state(self, pc, pspec, prop):
        log(f"{self.name}: {prop} -> {pc.get_property(prop).value_nick}")

    def on_ice_candidate(self, pc, mline, candidate):
        self.other.pc.emit("add-ice-candidate", mline, candidate)

    def on_add_stream(self, pc, msid):
        log(f"{self.name}: on-add-stream {msid}")
        self.streams.append(msid)

    def on_pad_added(self, pc, pad, pipeline):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        # Every src pad names its transceiver and its remote MediaStream.
        transceiver = pad.get_property("transceiver")
        kind = transceiver.get_property("kind").value_nick
        msid = pad.get_property("msid")
        log(f"{self.name}: {pad.get_name()}: {kind} track, mid "
            f"{transceiver.get_property('mid')}, stream {msid}")
        if self.streams is not None and msid not in self.streams:
            self.problems.append(f"stream {msid} of {pad.get_name()} was not "
                                 "announced by on-add-stream")
        decodebin = Gst.ElementFactory.make("decodebin")
        decodebin.connect("pad-added", self.on_decoded, pipeline, kind)
        pipeline.add(decodebin)
        decodebin.sync_state_with_parent()
        pad.link(decodebin.get_static_pad("sink"))

    def on_decoded(self, decodebin, pad, pipeline, track_kind):
        # The RTP caps the track arrived with, and what it decoded into.
        rtp = decodebin.get_static_pad("sink").get_current_caps()
        encoding = rtp.get_structure(0).get_string("encoding-name")
        self.tracks.append((track_kind, encoding))
        caps = pad.get_current_caps().get_structure(0)
        kind = caps.get_name()[:5]       # "video/x-raw" -> "video"
        self.decoded[kind] = caps.to_string()
        log(f"{self.name}: {track_kind} track: {encoding} decoded into "
            f"{caps.get_name()}")
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

        def count(pad, info):
            self.frames[kind] += 1
            return Gst.PadProbeReturn.OK

        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, count)

    def check(self):
        """What this peer received, against what the other one sent."""
        problems = list(self.problems)
        if sorted(self.tracks) != sorted(ENCODINGS.items()):
            problems.append(f"received tracks {sorted(self.tracks)}, "
                            f"expected {sorted(ENCODINGS.items())}")
        video = self.decoded.get("video", "")
        if "width=(int)320" not in video or "height=(int)240" not in video:
            problems.append(f"decoded video is '{video}', not 320x240")
        if "audio" not in self.decoded:
            problems.append("no decoded audio")
        for kind, count in self.frames.items():
            if count < MIN_FRAMES:
                problems.append(f"only {count} {kind} buffers decoded")
        return [f"{self.name}: {p}" for p in problems]


def call(pc, signal, *args, field=None, timeout_s=10):
    """Runs an action signal that answers a promise, and waits for it.

    Call it from your own thread (here: the main thread), never from a
    signal handler of the element: the element answers on its own thread,
    which would be the one waiting. Returns the reply, or its value
    `field`; raises RuntimeError with the element's message if the reply
    is an error, or if none came within timeout_s."""
    answered = threading.Event()
    promise = Gst.Promise.new_with_change_func(lambda p: answered.set())
    pc.emit(signal, *args, promise)
    if not answered.wait(timeout_s):
        promise.interrupt()
        raise RuntimeError(f"{signal}: no reply in {timeout_s} s")
    # get_reply() gives a copy of the reply that lives as long as `reply`
    # does; a value taken out of it with get_value() does not own its
    # memory: copy what outlives `reply`.
    reply = promise.get_reply()
    if reply is not None and reply.has_field("error"):
        raise RuntimeError(f"{signal}: {reply.get_value('error').message}")
    if field:
        return reply.get_value(field).copy()
    return reply


def negotiate(offerer, answerer):
    offer = call(offerer.pc, "create-offer", None, field="offer")
    call(offerer.pc, "set-local-description", offer)
    call(answerer.pc, "set-remote-description", offer)
    answer = call(answerer.pc, "create-answer", None, field="answer")
    call(answerer.pc, "set-local-description", answer)
    call(offerer.pc, "set-remote-description", answer)
    log(f"negotiated: {offer.sdp.medias_len()} m-lines")


def transceivers(pc):
    """The transceivers of pc. get-transceivers answers a GArray, which
    PyGObject cannot read: ask for them one by one with get-transceiver,
    which answers None past the last one."""
    found = []
    while (transceiver := pc.emit("get-transceiver", len(found))) is not None:
        found.append(transceiver)
    return found


def check_transceivers(peer):
    """After negotiation, each transceiver sends and receives."""
    found = transceivers(peer.pc)
    problems = []
    if len(found) != 2:
        problems.append(f"{peer.name}: {len(found)} transceivers, "
                        "expected 2")
    for t in found:
        kind = t.get_property("kind").value_nick
        current = t.get_property("current-direction")
        log(f"{peer.name}: transceiver mid {t.get_property('mid')} "
            f"({kind}): direction {t.get_property('direction').value_nick}"
            f", current-direction {current.value_nick}")
        if current != GstWebRTC.WebRTCRTPTransceiverDirection.SENDRECV:
            problems.append(f"{peer.name}: {kind} transceiver is "
                            f"{current.value_nick}, not sendrecv")
        # A GstWebRTC.WebRTCRTPTransceiver, with its sender and receiver.
        if not isinstance(t.props.sender, GstWebRTC.WebRTCRTPSender) or \
                not isinstance(t.props.receiver, GstWebRTC.WebRTCRTPReceiver):
            problems.append(f"{peer.name}: {kind} transceiver has no "
                            "sender or receiver")
    return problems


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


def selected_pairs(peer):
    """The selected candidate pairs, from get-stats: transport ->
    selected-candidate-pair-id -> candidate pair -> its two candidates."""
    reply = call(peer.pc, "get-stats", None)
    stats = {}
    for i in range(reply.n_fields()):
        name = reply.nth_field_name(i)
        value = reply.get_value(name)
        if isinstance(value, Gst.Structure):
            stats[name] = value.copy()

    def endpoint(candidate_id):
        candidate = stats.get(candidate_id)
        if candidate is None:
            return "?"
        return (f"{candidate.get_value('address')}:"
                f"{candidate.get_value('port')}")

    pairs = []
    for transport in stats.values():
        if transport.get_value("type") != \
                GstWebRTC.WebRTCStatsType.TRANSPORT or \
                not transport.has_field("selected-candidate-pair-id"):
            continue
        pair = stats.get(transport.get_value("selected-candidate-pair-id"))
        if pair is not None:
            pairs.append(f"{endpoint(pair.get_value('local-candidate-id'))} "
                         "<-> "
                         f"{endpoint(pair.get_value('remote-candidate-id'))}")
    return pairs


def main():
    sys.stdout.reconfigure(line_buffering=True)
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    Gst.init(None)
    pipeline = Gst.Pipeline.new()
    try:
        a, b = Peer("alice", pipeline), Peer("bob", pipeline)
    except RuntimeError as e:
        log(f"FAILED: {e}")
        return 1
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
        log("FAILED: the encoders produced no caps in 10 s")
        pipeline.set_state(Gst.State.NULL)
        return 1
    try:
        negotiate(a, b)
    except RuntimeError as e:
        log(f"FAILED: {e}")
        pipeline.set_state(Gst.State.NULL)
        return 1
    problems = check_transceivers(a) + check_transceivers(b)

    loop = GLib.MainLoop()
    elapsed = [0]
    errors = []

    def tick():
        elapsed[0] += 1
        for p in (a, b):
            log(f"{p.name}: received {p.frames['video']} video frames, "
                f"{p.frames['audio']} audio buffers")
        if elapsed[0] == 2:
            for p in (a, b):
                try:
                    pairs = selected_pairs(p)
                except RuntimeError as e:
                    errors.append(str(e))
                    loop.quit()
                    return False
                if not pairs:
                    errors.append(f"{p.name}: no selected candidate pair")
                for pair in pairs:
                    log(f"{p.name}: selected candidate pair {pair}")
        if elapsed[0] >= seconds:
            loop.quit()
            return False
        return True

    def on_message(bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            errors.append(f"error from {msg.src.get_name()}: {err.message}")
            loop.quit()

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)
    GLib.timeout_add_seconds(1, tick)
    loop.run()
    pipeline.set_state(Gst.State.NULL)

    problems += errors + a.check() + b.check()
    for problem in problems:
        log(f"FAILED: {problem}")
    if problems:
        return 1
    log("call worked: VP8 320x240 and Opus decoded on both sides")
    return 0


if __name__ == "__main__":
    sys.exit(main())
