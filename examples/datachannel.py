#!/usr/bin/python3
# rtcpeer example: a data channel between two rtcpeerbins in one process.
#
# alice creates a channel and bob gets it with on-data-channel. alice sends
# strings and binary messages (GLib.Bytes) and bob echoes each one back, so
# messages go both ways; then alice sends a burst of binary messages to show
# buffered-amount and on-buffered-amount-low, and closes the channel. Every
# step is checked: the script exits 0 when everything arrived as sent, and 1
# with a message naming the step that went wrong or did not happen in time.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/datachannel.py
#
# (or, in a shell opened by `meson devenv -C build`, without GST_PLUGIN_PATH).
# Needs only python3-gi, gir1.2-gstreamer-1.0 and gir1.2-gst-plugins-bad-1.0.
# Set FACTORY to "webrtcbin" and the same code runs on GStreamer's element:
# only ice-addresses is rtcpeerbin's own (webrtcbin gathers host candidates
# on every interface).

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402

FACTORY = "rtcpeerbin"
TIMEOUT_S = 30
LABEL = "chat"
PROTOCOL = "example-chat"
# What alice sends first; bob echoes every one back.
MESSAGES = [
    "hello bob",
    b"\x00\x01\x02binary\xff",
    "UTF-8 works too: h\u00e9llo w\u00f6rld \u2713",
    bytes(range(256)) * 16,                  # 4 KiB
    "x" * 60000,                             # one long string, kept whole
]
BURST_CHUNK = 64 * 1024
BURST_COUNT = 64                             # 4 MiB
THRESHOLD = 256 * 1024                       # buffered-amount-low-threshold
DataChannelState = GstWebRTC.WebRTCDataChannelState


def make_pc(name):
    """A peer connection element, on loopback only."""
    pc = Gst.ElementFactory.make(FACTORY, name)
    if pc is None:
        raise RuntimeError(f"no {FACTORY} element: set GST_PLUGIN_PATH to "
                           "the directory of libgstrtcpeer.so")
    if pc.find_property("ice-addresses"):   # rtcpeerbin's own property
        pc.set_property("ice-addresses", "127.0.0.1")
    return pc


def nick(state):
    """The name of a ready-state. (PyGObject 3.42 crashes on value_nick of
    a value outside the enum, which webrtcbin 1.22 reports for a channel
    that is not negotiated yet: look the value up instead.)"""
    for value, member in DataChannelState.__enum_values__.items():
        if value == int(state):
            return member.value_nick
    return str(int(state))


def show(message):
    """What was sent or received, in short."""
    if isinstance(message, str):
        return f"string of {len(message)} characters"
    return f"{len(message)} bytes"


class Example:
    def __init__(self):
        self.loop = GLib.MainLoop()
        self.error = None
        self.waiting_for = "the peers to start"
        self.pipeline = Gst.Pipeline.new()
        self.alice = make_pc("alice")
        self.bob = make_pc("bob")
        for pc in (self.alice, self.bob):
            self.pipeline.add(pc)
        # Trickle ICE: each candidate goes straight to the other side.
        # add-ice-candidate only queues an operation, so this is safe on
        # whatever thread the signal comes from.
        self.alice.connect("on-ice-candidate", self.on_ice_candidate, self.bob)
        self.bob.connect("on-ice-candidate", self.on_ice_candidate, self.alice)
        self.alice.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.bob.connect("on-data-channel", self.on_data_channel)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_bus_message)

        self.alice_channel = self.bob_channel = None
        self.open = set()
        self.bob_received = []
        self.alice_received = []
        self.burst_received = 0
        self.burst_peak = 0
        self.low_events = 0
        self.closed = set()

    # -- helpers ---------------------------------------------------------

    def fail(self, message):
        """Records the first failure and stops the main loop."""
        if self.error is None:
            self.error = message
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def on_main_loop(self, func, *args):
        """Runs func(*args) on the main loop.

        The elements emit their signals on their own threads; the handlers
        below only hand what they got over to the main loop, where all the
        state of this script lives and is checked. Idle callbacks run in the
        order they were added, so messages stay in order."""
        def run():
            if self.error is None:
                func(*args)
            return GLib.SOURCE_REMOVE
        GLib.idle_add(run)

    def step(self, done, waiting_for):
        print(done)
        self.waiting_for = waiting_for

    def on_bus_message(self, bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            self.fail(f"error from {msg.src.get_name()}: {err.message}")
        elif msg.type == Gst.MessageType.WARNING:
            err, debug = msg.parse_warning()
            print(f"warning from {msg.src.get_name()}: {err.message}")

    def on_ice_candidate(self, pc, mline, candidate, other):
        other.emit("add-ice-candidate", mline, candidate)

    # -- offer/answer, with promises answered on the elements' threads ----

    def promise(self, what, then):
        """A promise that calls then(reply) once it is answered.

        The change function runs on the element's thread: it may emit
        further action signals (they only queue operations) but must never
        wait for another promise there."""
        def changed(promise):
            if promise.wait() != Gst.PromiseResult.REPLIED:
                self.on_main_loop(self.fail, f"{what}: no reply")
                return
            reply = promise.get_reply()
            if reply is not None and reply.has_field("error"):
                error = reply.get_value("error")
                self.on_main_loop(self.fail, f"{what} failed: {error.message}")
                return
            then(reply)
        return Gst.Promise.new_with_change_func(changed)

    def checked(self, what):
        """A promise for operations whose reply only says if they worked."""
        return self.promise(what, lambda reply: None)

    def on_negotiation_needed(self, pc):
        self.on_main_loop(self.step, "alice: negotiation needed",
                          "the offer/answer exchange")
        pc.emit("create-offer", None,
                self.promise("create-offer", self.on_offer_created))

    def on_offer_created(self, reply):
        # Borrowed from reply, valid while reply is: the emits copy it.
        offer = reply.get_value("offer")
        self.alice.emit("set-local-description", offer,
                        self.checked("alice: set-local-description"))
        # Operations run in order: bob can answer right away.
        self.bob.emit("set-remote-description", offer,
                      self.checked("bob: set-remote-description"))
        self.bob.emit("create-answer", None,
                      self.promise("create-answer", self.on_answer_created))

    def on_answer_created(self, reply):
        answer = reply.get_value("answer")
        self.bob.emit("set-local-description", answer,
                      self.checked("bob: set-local-description"))
        self.alice.emit("set-remote-description", answer,
                        self.checked("alice: set-remote-description"))

    # -- the channel -----------------------------------------------------

    def watch_channel(self, name, channel):
        """Connects every signal of one end of the channel. The handlers
        run on the element's threads and only pass what they got on."""
        later = self.on_main_loop
        channel.connect("on-open", lambda ch: later(self.on_open, name))
        channel.connect("on-close", lambda ch: later(self.on_close, name))
        channel.connect("on-error", lambda ch, error: later(
            self.fail, f"{name}'s channel: {error.message}"))
        channel.connect("on-message-string", lambda ch, text: later(
            self.on_message, name, text))
        # The GLib.Bytes of on-message-data is only valid during the
        # signal: get_data() copies it into Python bytes (None when empty).
        channel.connect("on-message-data", lambda ch, data: later(
            self.on_message, name, data.get_data() or b""))
        channel.connect("on-buffered-amount-low", lambda ch: later(
            self.on_buffered_amount_low, name))

    def on_data_channel(self, pc, channel):
        # Connect the new channel's handlers here, in the signal itself:
        # connected later (from the main loop), they could miss its first
        # messages, which may already be on their way.
        self.watch_channel("bob", channel)
        self.on_main_loop(self.on_bob_channel, channel)
        if channel.get_property("ready-state") == DataChannelState.OPEN:
            self.on_main_loop(self.on_open, "bob")

    def on_bob_channel(self, channel):
        self.bob_channel = channel
        label = channel.get_property("label")
        protocol = channel.get_property("protocol")
        ordered = channel.get_property("ordered")
        print(f"bob: on-data-channel '{label}' (protocol '{protocol}', "
              f"ordered {ordered})")
        if (label, protocol, ordered) != (LABEL, PROTOCOL, True):
            self.fail(f"bob's channel is '{label}'/'{protocol}'/{ordered}, "
                      f"alice created '{LABEL}'/'{PROTOCOL}'/True")

    def on_open(self, name):
        if name in self.open:
            return
        self.open.add(name)
        print(f"{name}: channel open")
        if self.open == {"alice", "bob"} and self.bob_channel is not None:
            self.send_messages()
        elif self.open == {"alice", "bob"}:
            # bob's on-data-channel is still on its way to the main loop.
            self.on_main_loop(self.on_open_both)

    def on_open_both(self):
        self.send_messages()

    def send(self, channel, message):
        # The GstWebRTC.WebRTCDataChannel methods, as with webrtcbin; a
        # failure comes as on-error.
        if isinstance(message, str):
            channel.send_string(message)
        else:
            channel.send_data(GLib.Bytes.new(message))

    def send_messages(self):
        self.step("both ends are open: alice sends "
                  + ", ".join(show(m) for m in MESSAGES),
                  "bob to receive alice's messages and alice the echoes")
        for message in MESSAGES:
            self.send(self.alice_channel, message)

    def on_message(self, name, message):
        if name == "bob" and self.burst_received == 0 and \
                len(self.bob_received) < len(MESSAGES):
            self.bob_received.append(message)
            self.send(self.bob_channel, message)     # the echo
        elif name == "bob":
            self.on_burst_message(message)
            return
        else:
            self.alice_received.append(message)
        if len(self.alice_received) == len(MESSAGES):
            self.check_echoes()

    def check_echoes(self):
        for who, got in (("bob", self.bob_received),
                         ("alice", self.alice_received)):
            for i, (sent, received) in enumerate(zip(MESSAGES, got)):
                if type(sent) is not type(received) or sent != received:
                    self.fail(f"{who}'s message {i + 1}: sent {show(sent)}, "
                              f"received {show(received)} that differs")
                    return
        print("bob received every message as sent; alice every echo")
        self.send_burst()

    def send_burst(self):
        channel = self.alice_channel
        channel.set_property("buffered-amount-low-threshold", THRESHOLD)
        self.low_events = 0      # count only the burst's
        # Sending never blocks: what the network cannot take yet is queued
        # and counted in buffered-amount.
        for i in range(BURST_COUNT):
            channel.send_data(GLib.Bytes.new(bytes([i]) * BURST_CHUNK))
            self.burst_peak = max(self.burst_peak,
                                  channel.get_property("buffered-amount"))
        self.step(f"alice sent {BURST_COUNT} x {BURST_CHUNK} bytes; "
                  f"buffered-amount peaked at {self.burst_peak}",
                  "the burst to arrive and on-buffered-amount-low")
        if self.burst_peak <= THRESHOLD:
            self.fail(f"buffered-amount stayed at or below {THRESHOLD} "
                      f"(peak {self.burst_peak}): nothing was queued")

    def on_burst_message(self, message):
        index = self.burst_received
        if message != bytes([index]) * BURST_CHUNK:
            self.fail(f"burst message {index + 1} differs from what was sent")
            return
        self.burst_received += 1
        self.maybe_close()

    def on_buffered_amount_low(self, name):
        # With the default threshold of 0, this also fires whenever a queue
        # has emptied; only alice's during the burst matter here.
        if name != "alice" or self.burst_peak == 0:
            return
        self.low_events += 1
        amount = self.alice_channel.get_property("buffered-amount")
        print(f"alice: on-buffered-amount-low (buffered-amount now {amount})")
        self.maybe_close()

    def maybe_close(self):
        if self.burst_received < BURST_COUNT or self.low_events == 0:
            return
        amount = self.alice_channel.get_property("buffered-amount")
        if amount > THRESHOLD:
            self.fail(f"buffered-amount is {amount} after the burst arrived")
            return
        self.step("bob received the whole burst in order; alice closes",
                  "both ends to close")
        self.alice_channel.close()

    def on_close(self, name):
        self.closed.add(name)
        print(f"{name}: channel closed")
        if self.closed != {"alice", "bob"}:
            return
        for who, channel in (("alice", self.alice_channel),
                             ("bob", self.bob_channel)):
            state = channel.get_property("ready-state")
            if state != DataChannelState.CLOSED:
                self.fail(f"{who}'s ready-state is {nick(state)} after "
                          "on-close")
                return
        self.loop.quit()

    # -- main ------------------------------------------------------------

    def run(self):
        """Runs the example; returns None, or what went wrong."""
        self.pipeline.set_state(Gst.State.PLAYING)
        try:
            error = self.create_channel()
            if error is None:
                GLib.timeout_add_seconds(TIMEOUT_S, lambda: self.fail(
                    f"timed out after {TIMEOUT_S} s waiting for "
                    f"{self.waiting_for}"))
                self.loop.run()
                error = self.error
        finally:
            self.pipeline.set_state(Gst.State.NULL)
        return error

    def create_channel(self):
        # RTCDataChannelInit as a structure (None: the defaults). Python
        # bool, int and str become boolean, int and string fields.
        options = Gst.Structure.new_empty("options")
        options.set_value("ordered", True)
        options.set_value("protocol", PROTOCOL)
        channel = self.alice.emit("create-data-channel", LABEL, options)
        if channel is None:
            return "create-data-channel returned nothing"
        state = channel.get_property("ready-state")
        print(f"alice: created '{channel.get_property('label')}', "
              f"ready-state {nick(state)}")
        # W3C: a new channel is connecting (webrtcbin 1.22 says 0 instead).
        if state != DataChannelState.CONNECTING and \
                not (FACTORY == "webrtcbin" and state == 0):
            return f"a new channel is {nick(state)}, not connecting"
        self.alice_channel = channel
        self.watch_channel("alice", channel)
        return None


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
    print("data channel worked: strings and binary both ways, "
          "buffered-amount, close")
    return 0


if __name__ == "__main__":
    sys.exit(main())
