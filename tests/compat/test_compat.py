#!/usr/bin/python3
# rtcpeer
# Copyright (C) 2026 rtcpeer developers
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The same Python code against webrtcbin and rtcpeerbin (RTC_TEST_FACTORY),
through the GstWebRTC typelib as a webrtcbin application uses it: the
objects' classes, channel.send_string() / send_data() / close(),
transceiver.props.sender / receiver. Exits non-zero on the first
difference. Two peers of the factory in one pipeline, loopback only."""

import os
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstWebRTC  # noqa: E402

TIMEOUT = 30
FACTORY = os.environ.get("RTC_TEST_FACTORY", "rtcpeerbin")


def check(cond, what):
    if not cond:
        print(f"FAIL ({FACTORY}): {what}", file=sys.stderr)
        sys.exit(1)


def wait(event, what):
    check(event.wait(TIMEOUT), f"timed out waiting for {what}")


# The replies and their promises live as long as the test: a value taken
# from a reply is not a copy.
promises = []


def reply(element, signal, *args, field=None):
    promise = Gst.Promise.new()
    promises.append(promise)
    element.emit(signal, *args, promise)
    check(promise.wait() == Gst.PromiseResult.REPLIED, f"{signal} replied")
    answer = promise.get_reply()
    promises.append(answer)
    if answer is not None and answer.has_field("error"):
        check(False, f"{signal}: {answer.get_value('error')}")
    return answer.get_value(field) if field else None


def test_transceiver():
    pc = Gst.ElementFactory.make(FACTORY)
    pc.set_state(Gst.State.READY)
    caps = Gst.Caps.from_string(
        "application/x-rtp,media=audio,encoding-name=OPUS,"
        "clock-rate=48000,payload=111")
    trans = pc.emit("add-transceiver",
                    GstWebRTC.WebRTCRTPTransceiverDirection.SENDRECV, caps)
    check(isinstance(trans, GstWebRTC.WebRTCRTPTransceiver),
          "add-transceiver gives a WebRTCRTPTransceiver")
    check(isinstance(trans.props.sender, GstWebRTC.WebRTCRTPSender),
          "props.sender is a WebRTCRTPSender")
    check(isinstance(trans.props.receiver, GstWebRTC.WebRTCRTPReceiver),
          "props.receiver is a WebRTCRTPReceiver")
    trans.props.sender.set_priority(GstWebRTC.WebRTCPriorityType.HIGH)
    check(trans.props.kind == GstWebRTC.WebRTCKind.AUDIO, "kind is audio")
    check(trans.props.mid is None, "no mid before negotiation")
    trans.props.direction = GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY
    check(trans.props.direction ==
          GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY,
          "direction set and read back")
    check(pc.emit("get-transceiver", 0) == trans, "get-transceiver 0")
    pc.set_state(Gst.State.NULL)


class End:
    def __init__(self, channel):
        self.channel = channel
        self.opened = threading.Event()
        self.closed = threading.Event()
        self.got = {}
        self.arrived = threading.Event()
        channel.connect("on-open", lambda c: self.opened.set())
        channel.connect("on-close", lambda c: self.closed.set())
        channel.connect("on-message-string", self.on_message)
        channel.connect("on-message-data", self.on_message)
        if channel.props.ready_state == GstWebRTC.WebRTCDataChannelState.OPEN:
            self.opened.set()

    def on_message(self, channel, message):
        if isinstance(message, GLib.Bytes):
            message = bytes(message.get_data())
        self.got[message] = True
        self.arrived.set()

    def expect(self, message):
        while message not in self.got:
            self.arrived.clear()
            if message in self.got:
                break
            wait(self.arrived, f"message {message!r}")


def test_channel():
    pipe = Gst.Pipeline()
    pcs = [Gst.ElementFactory.make(FACTORY) for _ in range(2)]
    remote = {}
    announced = threading.Event()

    def on_data_channel(pc, channel):
        remote["end"] = End(channel)
        announced.set()

    for i, pc in enumerate(pcs):
        # webrtcbin's idiom for gathering on loopback only
        # Not with webrtcbin 1.22: it hands Python the only reference to
        # its agent, freed under it when the Python object goes (README).
        if FACTORY != "webrtcbin":
            agent = pc.props.ice_agent
            check(isinstance(agent, GstWebRTC.WebRTCICE),
                  "ice-agent is a WebRTCICE")
            check(agent.emit("add-local-ip-address", "127.0.0.1") is True,
                  "add-local-ip-address 127.0.0.1")
        pipe.add(pc)
        other = pcs[1 - i]
        pc.connect("on-ice-candidate", lambda pc, mline, cand, other=other:
                   other.emit("add-ice-candidate", mline, cand))
    pcs[1].connect("on-data-channel", on_data_channel)
    pipe.set_state(Gst.State.PLAYING)

    channel = pcs[0].emit("create-data-channel", "py", None)
    check(isinstance(channel, GstWebRTC.WebRTCDataChannel),
          "create-data-channel gives a WebRTCDataChannel")
    local = End(channel)

    offer = reply(pcs[0], "create-offer", None, field="offer")
    reply(pcs[0], "set-local-description", offer)
    reply(pcs[1], "set-remote-description", offer)
    answer = reply(pcs[1], "create-answer", None, field="answer")
    reply(pcs[1], "set-local-description", answer)
    reply(pcs[0], "set-remote-description", answer)

    wait(announced, "on-data-channel")
    far = remote["end"]
    check(isinstance(far.channel, GstWebRTC.WebRTCDataChannel),
          "on-data-channel gives a WebRTCDataChannel")
    wait(local.opened, "the local end to open")
    wait(far.opened, "the remote end to open")
    check(far.channel.props.label == "py", "label")
    if FACTORY != "webrtcbin":  # the same floating reference as ice-agent
        sctp = pcs[0].props.sctp_transport
        check(isinstance(sctp, GstWebRTC.WebRTCSCTPTransport),
              "sctp-transport is a WebRTCSCTPTransport")
        check(sctp.props.state ==
              GstWebRTC.WebRTCSCTPTransportState.CONNECTED,
              "sctp-transport connected")
        check(sctp.props.max_message_size > 0,
              "sctp-transport max-message-size")

    # the typelib's methods, each way
    local.channel.send_string("hello")
    far.expect("hello")
    far.channel.send_data(GLib.Bytes.new(b"\x00\x01\x02"))
    local.expect(b"\x00\x01\x02")
    check(local.channel.send_string_full("full") is True,
          "send_string_full returns True on an open channel")
    far.expect("full")

    local.channel.close()
    wait(local.closed, "on-close at the local end")
    wait(far.closed, "on-close at the remote end")
    check(far.channel.props.ready_state ==
          GstWebRTC.WebRTCDataChannelState.CLOSED, "remote end CLOSED")
    pipe.set_state(Gst.State.NULL)


def main():
    Gst.init(None)
    check(Gst.ElementFactory.find(FACTORY) is not None, "factory exists")
    test_transceiver()
    test_channel()
    print(f"ok ({FACTORY})")


if __name__ == "__main__":
    main()
