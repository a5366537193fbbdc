#!/usr/bin/python3
# rtcpeer example: an ICE restart on a live connection.
#
# alice and bob connect with a data channel and exchange a message. Then
# alice calls restart-ice (W3C restartIce()): on-negotiation-needed fires,
# her next offer carries new ICE credentials, bob's answer new ones too,
# both sides check the path again, and the channel goes on over the same
# DTLS and SCTP association: a message sent after the restart arrives on
# the same channel. The script exits 0 when all of that happened, 1 with a
# message saying which step went wrong or did not happen in time.
#
#   GST_PLUGIN_PATH=build/gst/rtcpeer /usr/bin/python3 examples/ice_restart.py

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402

TIMEOUT_S = 30
ICEConnectionState = GstWebRTC.WebRTCICEConnectionState


def make_pc(name):
    pc = Gst.ElementFactory.make("rtcpeerbin", name)
    if pc is None:
        raise RuntimeError("no rtcpeerbin element: set GST_PLUGIN_PATH to "
                           "the directory of libgstrtcpeer.so")
    pc.set_property("ice-addresses", "127.0.0.1")
    return pc


def ufrag_of(desc):
    """The first a=ice-ufrag of a description."""
    for line in desc.sdp.as_text().splitlines():
        if line.startswith("a=ice-ufrag:"):
            return line[len("a=ice-ufrag:"):]
    return None


class Example:
    def __init__(self):
        self.loop = GLib.MainLoop()
        self.error = None
        self.waiting_for = "the first negotiation"
        self.pipeline = Gst.Pipeline.new()
        self.alice = make_pc("alice")
        self.bob = make_pc("bob")
        for pc in (self.alice, self.bob):
            self.pipeline.add(pc)
            pc.connect("on-ice-candidate", self.on_ice_candidate)
        self.alice.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.bob.connect("on-data-channel", self.on_data_channel)
        self.ufrags = []            # (offer, answer) of each negotiation
        self.channels = {}
        self.restarted = False

    def fail(self, message):
        if self.error is None:
            self.error = message
        self.loop.quit()
        return GLib.SOURCE_REMOVE

    def on_main_loop(self, func, *args):
        """Signals come on the elements' threads; the state of this script
        lives on the main loop."""
        def run():
            if self.error is None:
                func(*args)
            return GLib.SOURCE_REMOVE
        GLib.idle_add(run)

    def on_ice_candidate(self, pc, mline, candidate):
        other = self.bob if pc is self.alice else self.alice
        other.emit("add-ice-candidate", mline, candidate)

    def promise(self, what, then):
        def changed(promise):
            reply = promise.get_reply()
            if reply is not None and reply.has_field("error"):
                error = reply.get_value("error")
                self.on_main_loop(self.fail, f"{what} failed: {error.message}")
                return
            then(reply)
        return Gst.Promise.new_with_change_func(changed)

    def checked(self, what):
        return self.promise(what, lambda reply: None)

    # -- offer/answer, the same for the first negotiation and the restart --

    def on_negotiation_needed(self, pc):
        pc.emit("create-offer", None,
                self.promise("create-offer", self.on_offer_created))

    def on_offer_created(self, reply):
        offer = reply.get_value("offer")
        self.offer_ufrag = ufrag_of(offer)
        self.alice.emit("set-local-description", offer,
                        self.checked("alice: set-local-description"))
        self.bob.emit("set-remote-description", offer,
                      self.checked("bob: set-remote-description"))
        self.bob.emit("create-answer", None,
                      self.promise("create-answer", self.on_answer_created))

    def on_answer_created(self, reply):
        answer = reply.get_value("answer")
        ufrags = (self.offer_ufrag, ufrag_of(answer))
        self.bob.emit("set-local-description", answer,
                      self.checked("bob: set-local-description"))
        self.alice.emit("set-remote-description", answer,
                        self.promise("alice: set-remote-description",
                                     lambda r: self.on_main_loop(
                                         self.on_negotiated, ufrags)))

    def on_negotiated(self, ufrags):
        self.ufrags.append(ufrags)
        print(f"negotiated: offer ufrag {ufrags[0]}, answer ufrag {ufrags[1]}")
        if not self.restarted:
            return
        old, new = self.ufrags[0], self.ufrags[-1]
        if old[0] == new[0] or old[1] == new[1]:
            self.fail("the restart kept ICE credentials: "
                      f"{old} before, {new} after")
            return
        # The path is checked again under the channel; a message sent now
        # arrives once it is (SCTP retransmits what is lost meanwhile).
        self.waiting_for = "the message sent after the restart"
        self.channels["alice"].send_string("after the restart")

    # -- the channel -------------------------------------------------------

    def watch(self, name, channel):
        channel.connect("on-open", lambda ch: self.on_main_loop(
            self.on_open, name, ch))
        channel.connect("on-message-string", lambda ch, text:
                        self.on_main_loop(self.on_message, name, ch, text))

    def on_data_channel(self, pc, channel):
        self.watch("bob", channel)
        if channel.get_property("ready-state") == \
                GstWebRTC.WebRTCDataChannelState.OPEN:
            self.on_main_loop(self.on_open, "bob", channel)

    def on_open(self, name, channel):
        if name in self.channels:    # on-open, and open already when got
            return
        self.channels[name] = channel
        print(f"{name}: channel open")
        if len(self.channels) == 2:
            self.waiting_for = "the message sent before the restart"
            self.channels["alice"].send_string("before the restart")

    def on_message(self, name, channel, text):
        print(f"{name} received '{text}'")
        if channel is not self.channels.get(name):
            self.fail("the message came on another channel")
        elif text == "before the restart":
            # restartIce(): the next offer restarts ICE, and
            # on-negotiation-needed says it is time for it.
            self.restarted = True
            self.waiting_for = "the restart's negotiation"
            self.alice.emit("restart-ice")
        elif text == "after the restart":
            state = self.alice.get_property("ice-connection-state")
            print(f"alice's ICE connection is {state.value_nick}")
            if state not in (ICEConnectionState.CONNECTED,
                             ICEConnectionState.COMPLETED):
                self.fail(f"alice's ICE connection is {state.value_nick}")
                return
            print("the channel went on across the ICE restart")
            self.loop.quit()

    def timeout(self):
        return self.fail(f"timed out waiting for {self.waiting_for}")

    def run(self):
        self.pipeline.set_state(Gst.State.READY)
        channel = self.alice.emit("create-data-channel", "chat", None)
        self.watch("alice", channel)
        self.pipeline.set_state(Gst.State.PLAYING)
        GLib.timeout_add_seconds(TIMEOUT_S, self.timeout)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return self.error


def main():
    Gst.init(None)
    error = Example().run()
    if error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
