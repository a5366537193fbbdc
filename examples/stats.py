#!/usr/bin/python3
# rtcpeer example: reading get-stats during a call.
#
# alice sends VP8 video to bob over two rtcpeerbins in one process. Once
# bob receives media, the script asks both peers for their statistics
# (get-stats with a GstPromise), waits a second and asks again, prints
# every stats dictionary of the second answer and checks that the byte and
# packet counters are above zero and grew in between (alice's outbound-rtp,
# bob's inbound-rtp, and the transport on both sides) and that each side's
# transport leads to a selected candidate pair and its two candidates. It
# exits 0 when all is there, and 1 with a message saying what was not.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/stats.py
#
# (or, in a shell opened by `meson devenv -C build`, without GST_PLUGIN_PATH).
# Needs python3-gi, gir1.2-gstreamer-1.0 and gir1.2-gst-plugins-bad-1.0,
# plus GStreamer's good/base plugins for videotestsrc, vp8enc and rtpvp8pay.
# Set FACTORY to "webrtcbin" and the same code runs on GStreamer's element:
# only ice-addresses is rtcpeerbin's own (webrtcbin gathers host candidates
# on every interface), and webrtcbin 1.22's transport stats have no
# counters, so those are checked with rtcpeerbin only.

import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, GObject, Gst, GstWebRTC  # noqa: E402

FACTORY = "rtcpeerbin"
TIMEOUT_S = 30
VIDEO = ("videotestsrc is-live=true pattern=ball ! "
         "video/x-raw,width=320,height=240,framerate=30/1 ! "
         "vp8enc deadline=1 cpu-used=8 ! rtpvp8pay pt=96")
StatsType = GstWebRTC.WebRTCStatsType


def expected():
    """What must be above zero and grow between two get-stats, as
    (whose stats, stats type, counters)."""
    checks = [
        ("alice", StatsType.OUTBOUND_RTP, ("bytes-sent", "packets-sent")),
        ("bob", StatsType.INBOUND_RTP, ("bytes-received", "packets-received")),
    ]
    if FACTORY == "rtcpeerbin":
        # rtcpeerbin's transport stats also count what went over the
        # network (webrtcbin 1.22's have no counters).
        checks += [
            ("alice", StatsType.TRANSPORT, ("bytes-sent", "packets-sent")),
            ("bob", StatsType.TRANSPORT, ("bytes-received",
                                          "packets-received")),
        ]
    return checks


def make_pc(name):
    """A peer connection element, on loopback only."""
    pc = Gst.ElementFactory.make(FACTORY, name)
    if pc is None:
        raise RuntimeError(f"no {FACTORY} element: set GST_PLUGIN_PATH to "
                           "the directory of libgstrtcpeer.so")
    if pc.find_property("ice-addresses"):   # rtcpeerbin's own property
        pc.set_property("ice-addresses", "127.0.0.1")
    return pc


def call(pc, signal, *args, field=None, timeout_s=10):
    """Runs an action signal that answers a promise, and waits for it.

    Call it from your own thread (here: the main loop), never from a signal
    handler of the element: the element answers on its own thread, which
    would be the one waiting. Returns the reply, or its value `field`;
    raises RuntimeError with the element's message if the reply is an
    error, or if none came within timeout_s."""
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


def stats_dictionaries(reply):
    """The stats of a get-stats reply: {stats id: Gst.Structure}.

    The reply has one field per stats id; each is a structure with at least
    "type" (GstWebRTC.WebRTCStatsType), "id" and "timestamp"."""
    dictionaries = {}
    for i in range(reply.n_fields()):
        name = reply.nth_field_name(i)
        value = reply.get_value(name)
        if isinstance(value, Gst.Structure):
            dictionaries[name] = value.copy()    # outlives `reply`
    return dictionaries


def fields(stats):
    """The fields of one stats structure as {name: Python value}."""
    return {stats.nth_field_name(i): stats.get_value(stats.nth_field_name(i))
            for i in range(stats.n_fields())}


def describe(value):
    if isinstance(value, GObject.GEnum):
        return value.value_nick
    if isinstance(value, Gst.Structure):      # webrtcbin's raw rtpbin stats
        return f"<{value.get_name()}>"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_stats(who, reply):
    for stats_id, stats in sorted(stats_dictionaries(reply).items()):
        values = fields(stats)
        print(f"{who}: {stats_id} ({values['type'].value_nick})")
        for name, value in sorted(values.items()):
            if name not in ("type", "id"):
                print(f"    {name} = {describe(value)}")


def totals(reply, stats_type, counters):
    """Sums each counter over the stats of one type (a peer may have
    several transports or RTP streams). None: no stats of that type."""
    found = [s for s in stats_dictionaries(reply).values()
             if s.get_value("type") == stats_type]
    if not found:
        return None
    return {c: sum(s.get_value(c) or 0 for s in found if s.has_field(c))
            for c in counters}


def selected_pairs(reply):
    """Follows the ids from each transport to its selected candidate pair
    and that pair's two candidates: ["127.0.0.1:5000 <-> 127.0.0.1:5002"]."""
    stats = stats_dictionaries(reply)

    def endpoint(candidate_id):
        candidate = stats.get(candidate_id)
        if candidate is None:
            return "?"
        return (f"{candidate.get_value('address')}:"
                f"{candidate.get_value('port')}")

    pairs = []
    for transport in stats.values():
        if transport.get_value("type") != StatsType.TRANSPORT or \
                not transport.has_field("selected-candidate-pair-id"):
            continue
        pair = stats.get(transport.get_value("selected-candidate-pair-id"))
        if pair is not None:
            pairs.append(f"{endpoint(pair.get_value('local-candidate-id'))} "
                         "<-> "
                         f"{endpoint(pair.get_value('remote-candidate-id'))}")
    return pairs


class Example:
    def __init__(self):
        self.loop = GLib.MainLoop()
        self.error = None
        self.waiting_for = "the offer/answer exchange"
        self.pipeline = Gst.Pipeline.new()
        self.alice = make_pc("alice")
        self.bob = make_pc("bob")
        for pc in (self.alice, self.bob):
            self.pipeline.add(pc)
        self.alice.connect("on-ice-candidate", self.on_ice_candidate, self.bob)
        self.bob.connect("on-ice-candidate", self.on_ice_candidate, self.alice)
        self.alice.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.bob.connect("pad-added", self.on_pad_added)
        source = Gst.parse_bin_from_description(VIDEO, True)
        self.pipeline.add(source)
        source.link(self.alice)              # requests alice's sink_0
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_bus_message)
        self.first = None

    def fail(self, message):
        if self.error is None:
            self.error = message
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def on_bus_message(self, bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            self.fail(f"error from {msg.src.get_name()}: {err.message}")

    def on_ice_candidate(self, pc, mline, candidate, other):
        other.emit("add-ice-candidate", mline, candidate)

    def on_negotiation_needed(self, pc):
        # On the element's thread: negotiate from the main loop, where
        # waiting for promises is allowed.
        GLib.idle_add(self.negotiate)

    def negotiate(self):
        try:
            offer = call(self.alice, "create-offer", None, field="offer")
            call(self.alice, "set-local-description", offer)
            call(self.bob, "set-remote-description", offer)
            answer = call(self.bob, "create-answer", None, field="answer")
            call(self.bob, "set-local-description", answer)
            call(self.alice, "set-remote-description", answer)
        except RuntimeError as e:
            return self.fail(str(e))
        print("negotiated; waiting for media")
        self.waiting_for = "bob to receive media"
        return GLib.SOURCE_REMOVE

    def on_pad_added(self, pc, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

        def first_buffer(pad, info):
            GLib.idle_add(self.on_media)
            return Gst.PadProbeReturn.REMOVE

        sink.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER,
                                              first_buffer)

    def sample(self):
        return {"alice": call(self.alice, "get-stats", None),
                "bob": call(self.bob, "get-stats", None)}

    def on_media(self):
        if self.first is not None:      # another track: sampling already
            return GLib.SOURCE_REMOVE
        print("bob receives media: first get-stats")
        self.waiting_for = "the second get-stats"
        try:
            self.first = self.sample()
        except RuntimeError as e:
            return self.fail(str(e))
        GLib.timeout_add(1000, self.on_second)
        return GLib.SOURCE_REMOVE

    def on_second(self):
        try:
            second = self.sample()
        except RuntimeError as e:
            return self.fail(str(e))
        for who in ("alice", "bob"):
            print_stats(who, second[who])
        for who in ("alice", "bob"):
            pairs = selected_pairs(second[who])
            if not pairs or any("?" in pair for pair in pairs):
                return self.fail(f"{who}: no selected candidate pair with "
                                 f"both candidates in the stats ({pairs})")
            print(f"{who}: selected candidate pair {', '.join(pairs)}")
        for who, stats_type, counters in expected():
            before = totals(self.first[who], stats_type, counters)
            after = totals(second[who], stats_type, counters)
            if before is None or after is None:
                return self.fail(f"{who} has no {stats_type.value_nick} stats")
            for c in counters:
                print(f"{who} {stats_type.value_nick} {c}: {before[c]} -> "
                      f"{after[c]}")
                if not 0 < before[c] < after[c]:
                    return self.fail(f"{who}'s {stats_type.value_nick} {c} "
                                     f"went from {before[c]} to {after[c]}")
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def run(self):
        self.pipeline.set_state(Gst.State.PLAYING)
        GLib.timeout_add_seconds(TIMEOUT_S, lambda: self.fail(
            f"timed out after {TIMEOUT_S} s waiting for {self.waiting_for}"))
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return self.error


def main():
    sys.stdout.reconfigure(line_buffering=True)
    Gst.init(None)
    try:
        error = Example().run()
    except RuntimeError as e:
        error = str(e)
    if error:
        print(f"FAILED: {error}")
        return 1
    print("stats worked: every counter above zero and growing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
